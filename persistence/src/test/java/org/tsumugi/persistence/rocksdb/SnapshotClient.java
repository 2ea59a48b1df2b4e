package org.tsumugi.persistence.rocksdb;

import java.util.Optional;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.SaveSnapshotSuccess;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import scala.jdk.javaapi.OptionConverters;

/** Talks to a snapshot store plugin actor through Pekko's snapshot protocol. */
final class SnapshotClient {
  private final ActorRef store;
  private final TestProbe<Object> probe;

  SnapshotClient(ActorTestKit testKit, ActorRef store) {
    this.store = store;
    this.probe = testKit.createTestProbe(Object.class);
  }

  /** Saves and returns the metadata the store confirmed, with the timestamp Pekko assigned. */
  SnapshotMetadata save(String persistenceId, long sequenceNr, Object snapshot) {
    Object reply = ask(new SnapshotProtocol.SaveSnapshot(SnapshotMetadata.apply(persistenceId, sequenceNr),
        snapshot));
    if (reply instanceof SaveSnapshotSuccess success) {
      return success.metadata();
    }
    throw new AssertionError("save of " + persistenceId + "@" + sequenceNr + " answered " + reply);
  }

  Optional<SelectedSnapshot> load(String persistenceId, SnapshotSelectionCriteria criteria) {
    return load(persistenceId, criteria, Long.MAX_VALUE);
  }

  Optional<SelectedSnapshot> load(String persistenceId, SnapshotSelectionCriteria criteria, long toSequenceNr) {
    Object reply = loadReply(persistenceId, criteria, toSequenceNr);
    if (reply instanceof SnapshotProtocol.LoadSnapshotResult result) {
      return OptionConverters.toJava(result.snapshot());
    }
    throw new AssertionError("load of " + persistenceId + " answered " + reply);
  }

  Object loadReply(String persistenceId, SnapshotSelectionCriteria criteria, long toSequenceNr) {
    return ask(new SnapshotProtocol.LoadSnapshot(persistenceId, criteria, toSequenceNr));
  }

  Object ask(Object message) {
    store.tell(message, Adapter.toClassic(probe.ref()));
    return probe.receiveMessage(JournalClient.TIMEOUT);
  }
}
