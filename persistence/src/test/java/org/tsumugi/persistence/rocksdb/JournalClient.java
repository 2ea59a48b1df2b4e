package org.tsumugi.persistence.rocksdb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import scala.jdk.javaapi.CollectionConverters;

/** Talks to a journal plugin actor through Pekko's journal protocol, as a persistent actor does. */
final class JournalClient {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int ACTOR_INSTANCE = 1;

  /** What a replay delivered: sequence numbers and payloads in delivery order, and the reported highest. */
  record Replayed(List<Long> sequenceNrs, List<Object> payloads, long highestSequenceNr) {}

  private final ActorRef journal;
  private final TestProbe<Object> probe;

  JournalClient(ActorTestKit testKit, ActorRef journal) {
    this.journal = journal;
    this.probe = testKit.createTestProbe(Object.class);
  }

  /** One AtomicWrite (one persist or persistAll) of {@code payloads} at consecutive sequence numbers. */
  static AtomicWrite atomic(String persistenceId, long firstSequenceNr, Object... payloads) {
    List<PersistentRepr> reprs = new ArrayList<>();
    for (int i = 0; i < payloads.length; i++) {
      reprs.add(PersistentRepr.apply(payloads[i], firstSequenceNr + i, persistenceId, "", false,
          ActorRef.noSender(), "writer-1"));
    }
    return AtomicWrite.apply(CollectionConverters.asScala(reprs).toList());
  }

  /** Sends one WriteMessages and returns the batch reply followed by one reply per event. */
  List<Object> write(AtomicWrite... writes) {
    List<PersistentEnvelope> envelopes = List.of(writes);
    journal.tell(new JournalProtocol.WriteMessages(CollectionConverters.asScala(envelopes).toList(),
        Adapter.toClassic(probe.ref()), ACTOR_INSTANCE), ActorRef.noSender());
    int events = 0;
    for (AtomicWrite write : writes) {
      events += write.size();
    }
    return probe.receiveSeveralMessages(events + 1, TIMEOUT);
  }

  Replayed replay(String persistenceId, long from, long to, long max) {
    journal.tell(new JournalProtocol.ReplayMessages(from, to, max, persistenceId,
        Adapter.toClassic(probe.ref())), ActorRef.noSender());
    List<Long> sequenceNrs = new ArrayList<>();
    List<Object> payloads = new ArrayList<>();
    while (true) {
      Object reply = probe.receiveMessage(TIMEOUT);
      if (reply instanceof JournalProtocol.ReplayedMessage replayed) {
        sequenceNrs.add(replayed.persistent().sequenceNr());
        payloads.add(replayed.persistent().payload());
      } else if (reply instanceof JournalProtocol.RecoverySuccess success) {
        return new Replayed(sequenceNrs, payloads, success.highestSequenceNr());
      } else {
        throw new AssertionError("replay of " + persistenceId + " answered " + reply);
      }
    }
  }

  Replayed replayAll(String persistenceId) {
    return replay(persistenceId, 0L, Long.MAX_VALUE, Long.MAX_VALUE);
  }

  /** Sends a replay expected to fail and returns the reply. */
  Object replayReply(String persistenceId) {
    journal.tell(new JournalProtocol.ReplayMessages(0L, Long.MAX_VALUE, Long.MAX_VALUE, persistenceId,
        Adapter.toClassic(probe.ref())), ActorRef.noSender());
    Object reply = probe.receiveMessage(TIMEOUT);
    while (reply instanceof JournalProtocol.ReplayedMessage) {
      reply = probe.receiveMessage(TIMEOUT);
    }
    return reply;
  }

  Object deleteTo(String persistenceId, long toSequenceNr) {
    journal.tell(new JournalProtocol.DeleteMessagesTo(persistenceId, toSequenceNr, Adapter.toClassic(probe.ref())),
        ActorRef.noSender());
    return probe.receiveMessage(TIMEOUT);
  }
}
