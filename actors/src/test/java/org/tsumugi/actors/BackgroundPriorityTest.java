package org.tsumugi.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackgroundPriorityTest {

  @Test
  void theCallingThreadAloneGetsTheSaveNiceValue() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "not Linux");
    CompletableFuture<Integer> lowered = new CompletableFuture<>();
    Thread writer = new Thread(() -> {
      BackgroundPriority.lowerCurrentThread();
      lowered.complete(niceOfThisThread());
    });
    writer.start();

    int before = niceOfThisThread();
    assertEquals(BackgroundPriority.SAVE_NICE, lowered.get(30, TimeUnit.SECONDS), "nice value of the thread");
    assertEquals(before, niceOfThisThread(), "the other threads keep theirs");
    assertEquals(true, before < BackgroundPriority.SAVE_NICE, "the test runs below the save nice value");
  }

  /** Field 19 of /proc/thread-self/stat (the nice value). */
  private static int niceOfThisThread() {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // fields[0] is field 3
      return Integer.parseInt(fields[19 - 3]);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
