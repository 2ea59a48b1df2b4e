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
  void theCallingThreadAloneBecomesAnIdleTask() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/thread-self/stat")), "not Linux");
    CompletableFuture<Integer> lowered = new CompletableFuture<>();
    Thread writer = new Thread(() -> {
      BackgroundPriority.idleCurrentThread();
      lowered.complete(policyOfThisThread());
    });
    writer.start();

    assertEquals(BackgroundPriority.SCHED_IDLE, lowered.get(30, TimeUnit.SECONDS), "scheduling policy of the thread");
    assertEquals(0, policyOfThisThread(), "the other threads keep SCHED_OTHER");
  }

  /** Field 41 of /proc/thread-self/stat: the scheduling policy. */
  private static int policyOfThisThread() {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // fields[0] is field 3
      return Integer.parseInt(fields[41 - 3]);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
