package org.tsumugi.persistence.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.Persistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A typed event-sourced actor on the RocksDB plugins survives the end of its ActorSystem: a new system on the same
 * directories recovers the same state. Each test starts its own systems, since stopping one is the point.
 */
class EventSourcedRecoveryTest {
  @TempDir Path dir;

  @Test
  void newActorSystemOnTheSameDirectoryRecoversTheSameState() {
    Counter.Plugins plugins = TestPlugins.counterPlugins(dir);
    long expected = IntStream.rangeClosed(1, 15).sum();

    ActorTestKit first = ActorTestKit.create("first");
    try {
      TestProbe<Long> replies = first.createTestProbe(Long.class);
      ActorRef<Counter.Command> counter = first.spawn(Counter.create("c1", plugins));
      for (int delta = 1; delta <= 12; delta++) {
        counter.tell(new Counter.Add(delta, replies.ref()));
        replies.receiveMessage();
      }
      counter.tell(new Counter.AddAll(List.of(13, 14, 15), replies.ref()));
      assertEquals(expected, replies.receiveMessage());
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = ActorTestKit.create("second");
    try {
      TestProbe<Long> replies = second.createTestProbe(Long.class);
      ActorRef<Counter.Command> counter = second.spawn(Counter.create("c1", plugins));
      counter.tell(new Counter.Get(replies.ref()));
      assertEquals(expected, replies.receiveMessage());

      JournalClient.Replayed kept = new JournalClient(second, Persistence.get(Adapter.toClassic(second.system()))
          .journalFor(plugins.journalId(), plugins.journal())).replayAll("Counter|c1");
      assertEquals(15L, kept.highestSequenceNr());
      assertTrue(kept.sequenceNrs().get(0) > 6, "events covered by kept snapshots are deleted: " + kept);
      assertEquals(15L, kept.sequenceNrs().get(kept.sequenceNrs().size() - 1));
    } finally {
      second.shutdownTestKit();
    }
  }
}
