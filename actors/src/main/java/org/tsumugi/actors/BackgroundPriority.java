package org.tsumugi.actors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the CPU priority of the calling thread, for work that must not slow training down: saves are written while
 * the trainer keeps every core busy, and at equal priority their hashing and copying would lengthen the steps they
 * overlap. On Linux a thread is a task with its own nice value ({@code renice -p TID}); elsewhere, or if that fails,
 * nothing changes.
 */
final class BackgroundPriority {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundPriority.class);

  /** The nice value of save threads: CFS gives them about a tenth of a busy core's time. */
  static final int SAVE_NICENESS = 10;

  private BackgroundPriority() {}

  static void lowerCurrentThread(int niceness) {
    try {
      Path self = Files.readSymbolicLink(Path.of("/proc/thread-self")); // "<pid>/task/<tid>"
      String tid = self.getFileName().toString();
      Process renice = new ProcessBuilder("renice", "-n", Integer.toString(niceness), "-p", tid)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0) {
        LOG.debug("renice of thread {} did not succeed; it keeps its priority", tid);
      }
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot lower this thread's priority: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
