package org.tsumugi.actors;

import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;
import org.tsumugi.actors.run.RunDirectory;
import org.tsumugi.persistence.checkpoint.AtomicFile;

/** Rewrites {@code .tsumugi/heartbeat.json} ({@code pid}, {@code step}, {@code atMillis}) so watchers see the run live. */
final class Heartbeat {

  private Heartbeat() {}

  static void write(RunDirectory dir, long step) {
    String json = "{\"pid\": " + ProcessHandle.current().pid() + ", \"step\": " + step + ", \"atMillis\": "
        + System.currentTimeMillis() + "}\n";
    try {
      AtomicFile.write(dir.heartbeat(), out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(Heartbeat.class).warn("cannot write {}: {}", dir.heartbeat(), e.getMessage());
    }
  }
}
