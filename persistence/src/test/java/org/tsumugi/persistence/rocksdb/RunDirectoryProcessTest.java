package org.tsumugi.persistence.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes and one run directory: the second is refused while the first holds it, and what the first had
 * acknowledged is all there after it is killed with SIGKILL.
 */
class RunDirectoryProcessTest {
  @TempDir Path dir;

  private Process startLedgerProcess(int events) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        LedgerProcess.class.getName(), dir.toString(), Integer.toString(events))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("acknowledged ")) {
      // skip anything else the child prints
    }
    assertTrue(line != null, "the ledger process ended before acknowledging its events");
    assertEquals("acknowledged " + events * (events + 1) / 2, line);
    return process;
  }

  @Test
  void heldDirectoryIsRefusedToASecondProcessAndSurvivesKillMinusNine() throws Exception {
    int events = 7;
    Process writer = startLedgerProcess(events);
    try {
      Path journalDir = dir.resolve("journal");
      StoreLockedException e = assertThrows(StoreLockedException.class,
          () -> RocksStore.open(journalDir, List.of(RocksJournal.IDS, RocksJournal.EVENTS)));
      assertTrue(e.getMessage().contains("another process holds this run directory"), e.getMessage());
      assertTrue(e.getMessage().contains(journalDir.toAbsolutePath().toString()), e.getMessage());
    } finally {
      writer.destroyForcibly(); // SIGKILL: no shutdown hook, no RocksDB close
      assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "the ledger process did not die");
    }

    ActorTestKit testKit = ActorTestKit.create("after-kill");
    try {
      TestProbe<Long> replies = testKit.createTestProbe(Long.class);
      ActorRef<Counter.Command> counter = testKit.spawn(Counter.create("c1", TestPlugins.counterPlugins(dir)));
      counter.tell(new Counter.Get(replies.ref()));
      assertEquals(events * (events + 1) / 2, replies.receiveMessage());
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
