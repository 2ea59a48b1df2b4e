package org.tsumugi.persistence.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tsumugi.persistence.rocksdb.JournalClient.atomic;

import java.io.NotSerializableException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.JournalProtocol.ReplayMessagesFailure;
import org.apache.pekko.persistence.JournalProtocol.WriteMessageFailure;
import org.apache.pekko.persistence.JournalProtocol.WriteMessageRejected;
import org.apache.pekko.persistence.JournalProtocol.WriteMessageSuccess;
import org.apache.pekko.persistence.JournalProtocol.WriteMessagesFailed;
import org.apache.pekko.persistence.JournalProtocol.WriteMessagesSuccessful$;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.persistence.rocksdb.JournalClient.Replayed;

/** The journal plugin contract, exercised through Pekko's journal protocol. */
class RocksJournalTest {
  private static ActorTestKit testKit;

  @TempDir Path dir;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create();
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  private JournalClient journal() {
    return new JournalClient(testKit, TestPlugins.journal(testKit.system(), dir));
  }

  private static void writeEvents(JournalClient journal, String pid, long from, long to) {
    for (long seqNr = from; seqNr <= to; seqNr++) {
      journal.write(atomic(pid, seqNr, "e-" + seqNr));
    }
  }

  @Test
  void persistAllIsStoredAndReplayedInSequenceOrder() {
    JournalClient journal = journal();
    List<Object> replies = journal.write(atomic("run", 1, "a", "b", "c"), atomic("run", 4, "d"));

    assertEquals(WriteMessagesSuccessful$.MODULE$, replies.get(0));
    replies.subList(1, 5).forEach(reply -> assertInstanceOf(WriteMessageSuccess.class, reply));
    Replayed replayed = journal.replayAll("run");
    assertEquals(List.of(1L, 2L, 3L, 4L), replayed.sequenceNrs());
    assertEquals(List.of("a", "b", "c", "d"), replayed.payloads());
    assertEquals(4L, replayed.highestSequenceNr());
  }

  @Test
  void rejectsAnUnserialisableAtomicWriteWholeAndStoresTheOthers() {
    JournalClient journal = journal();
    Object unserialisable = new Object();
    List<Object> replies = journal.write(atomic("run", 1, "a"), atomic("run", 2, "b", unserialisable, "d"),
        atomic("run", 5, "e"));

    assertEquals(WriteMessagesSuccessful$.MODULE$, replies.get(0));
    assertInstanceOf(WriteMessageSuccess.class, replies.get(1));
    for (Object reply : replies.subList(2, 5)) {
      WriteMessageRejected rejected = assertInstanceOf(WriteMessageRejected.class, reply);
      assertInstanceOf(NotSerializableException.class, rejected.cause());
    }
    assertInstanceOf(WriteMessageSuccess.class, replies.get(5));
    Replayed replayed = journal.replayAll("run");
    assertEquals(List.of(1L, 5L), replayed.sequenceNrs(), "no event of the rejected persistAll may be stored");
    assertEquals(List.of("a", "e"), replayed.payloads());
  }

  @Test
  void storageFailureFailsTheWriteInsteadOfRejectingIt() {
    JournalClient journal = new JournalClient(testKit, TestPlugins.journal(testKit.system(), dir,
        Map.of("class", FailingStorageJournal.class.getName())));
    List<Object> replies = journal.write(atomic("run", 1, "a", "b"));

    WriteMessagesFailed failed = assertInstanceOf(WriteMessagesFailed.class, replies.get(0));
    assertInstanceOf(StoreIoException.class, failed.cause());
    assertTrue(failed.cause().getMessage().contains("No space left on device"), failed.cause().getMessage());
    replies.subList(1, 3).forEach(reply -> assertInstanceOf(WriteMessageFailure.class, reply));
    Replayed replayed = journal.replayAll("run");
    assertEquals(List.of(), replayed.sequenceNrs());
    assertEquals(0L, replayed.highestSequenceNr());
  }

  @Test
  void replayHonoursInclusiveBoundsAndMax() {
    JournalClient journal = journal();
    writeEvents(journal, "run", 1, 10);

    assertEquals(range(3, 7), journal.replay("run", 3, 7, Long.MAX_VALUE).sequenceNrs());
    assertEquals(range(1, 4), journal.replay("run", 0, Long.MAX_VALUE, 4).sequenceNrs());
    assertEquals(range(2, 4), journal.replay("run", 2, 9, 3).sequenceNrs());
    assertEquals(List.of(5L), journal.replay("run", 5, 5, Long.MAX_VALUE).sequenceNrs());
    assertEquals(List.of(), journal.replay("run", 4, 8, 0).sequenceNrs());
    assertEquals(List.of(), journal.replay("run", 7, 3, Long.MAX_VALUE).sequenceNrs());
    assertEquals(10L, journal.replay("run", 4, 8, 0).highestSequenceNr());
  }

  @Test
  void deletedEventsAreNeverReplayedAndHighestIsKept() {
    JournalClient journal = journal();
    writeEvents(journal, "run", 1, 5);

    assertEquals(new DeleteMessagesSuccess(3), journal.deleteTo("run", 3));
    Replayed afterPartial = journal.replayAll("run");
    assertEquals(List.of(4L, 5L), afterPartial.sequenceNrs());
    assertEquals(5L, afterPartial.highestSequenceNr());

    assertEquals(new DeleteMessagesSuccess(Long.MAX_VALUE), journal.deleteTo("run", Long.MAX_VALUE));
    Replayed afterAll = journal.replayAll("run");
    assertEquals(List.of(), afterAll.sequenceNrs());
    assertEquals(5L, afterAll.highestSequenceNr(), "deleting every event must not lower the highest seqNr");

    journal.write(atomic("run", 6, "f"));
    assertEquals(List.of(6L), journal.replayAll("run").sequenceNrs());
  }

  @Test
  void persistenceIdsThatArePrefixesOfEachOtherStaySeparate() {
    JournalClient journal = journal();
    journal.write(atomic("a", 1, "a1", "a2"), atomic("ab", 1, "ab1"));
    journal.deleteTo("a", Long.MAX_VALUE);

    assertEquals(List.of("ab1"), journal.replayAll("ab").payloads());
    assertEquals(1L, journal.replayAll("ab").highestSequenceNr());
    assertEquals(2L, journal.replayAll("a").highestSequenceNr());
    assertEquals(0L, journal.replayAll("unknown").highestSequenceNr());
  }

  @Test
  void replayFailsWhenAnEventCannotBeDeserialized() {
    JournalClient journal = journal();
    journal.write(atomic("run", 1, "a"), atomic("run", 2, new Unreadable("broken")));

    ReplayMessagesFailure failure = assertInstanceOf(ReplayMessagesFailure.class, journal.replayReply("run"));
    assertTrue(failure.cause().getMessage().contains("cannot deserialize event 2 of run"),
        failure.cause().getMessage());
  }

  @Test
  void eventsUseTheApplicationsSerializers() {
    JournalClient journal = journal();
    record Step(long step, double loss) implements CborSerializable {}
    journal.write(atomic("run", 1, new Step(7, 0.25)));

    assertEquals(List.of(new Step(7, 0.25)), journal.replayAll("run").payloads());
  }

  @Test
  void journalActorRunsOnTheDedicatedPluginDispatcher() {
    org.apache.pekko.actor.ActorRef journal = TestPlugins.journal(testKit.system(), dir);
    new JournalClient(testKit, journal).replayAll("run"); // started and answering

    // The dispatcher of a local actor is only visible through Pekko's internal ActorCell.
    String dispatcher = ((org.apache.pekko.actor.ActorRefWithCell) journal).underlying().props().dispatcher();
    assertEquals("tsumugi.persistence.dispatchers.plugin", dispatcher);
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }
}
