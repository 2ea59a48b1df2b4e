package org.tsumugi.persistence.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.AbstractPersistentActor;
import org.apache.pekko.persistence.RuntimePluginConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a persistent actor lives through: a rejected event (unserialisable) leaves it running, a storage failure
 * stops it.
 */
class PersistOutcomeTest {
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

  /**
   * Journal sections by plugin id. Pekko asks a persistent actor for its plugin while the base class is being
   * constructed, before any field of the subclass is set, so the actor finds its plugin through its own name.
   */
  private static final Map<String, Config> JOURNALS = new ConcurrentHashMap<>();

  /** Persists whatever it is sent and reports each outcome to {@code observer}; its name holds its plugin id. */
  static final class Recorder extends AbstractPersistentActor implements RuntimePluginConfig {
    private static final String NAME_PREFIX = "recorder-";
    private final ActorRef observer;

    Recorder(ActorRef observer) {
      this.observer = observer;
    }

    @Override
    public String persistenceId() {
      return "recorder";
    }

    @Override
    public String journalPluginId() {
      return self().path().name().substring(NAME_PREFIX.length());
    }

    @Override
    public Config journalPluginConfig() {
      return JOURNALS.get(journalPluginId());
    }

    @Override
    public Config snapshotPluginConfig() {
      return com.typesafe.config.ConfigFactory.empty();
    }

    @Override
    public Receive createReceiveRecover() {
      return receiveBuilder().matchAny(event -> {}).build();
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder().matchAny(event -> persist(event, e -> observer.tell("stored " + e, self()))).build();
    }

    @Override
    public void onPersistRejected(Throwable cause, Object event, long seqNr) {
      observer.tell("rejected " + seqNr, self());
    }

    @Override
    public void onPersistFailure(Throwable cause, Object event, long seqNr) {
      observer.tell("failed " + seqNr, self());
    }
  }

  private ActorRef recorder(Map<String, Object> journalOverrides, TestProbe<Object> observer) {
    String id = TestPlugins.uniqueId("outcome-journal");
    JOURNALS.put(id, TestPlugins.section(id, TestPlugins.JOURNAL, dir, journalOverrides));
    ActorRef observerRef = Adapter.toClassic(observer.ref());
    // A typed system has a custom user guardian, so the classic actor goes under /system.
    ExtendedActorSystem classic = (ExtendedActorSystem) Adapter.toClassic(testKit.system());
    return classic.systemActorOf(Props.create(Recorder.class, () -> new Recorder(observerRef)),
        Recorder.NAME_PREFIX + id);
  }

  @Test
  void rejectedEventLeavesTheActorRunning() {
    TestProbe<Object> observer = testKit.createTestProbe(Object.class);
    ActorRef recorder = recorder(Map.of(), observer);

    recorder.tell(new Object(), ActorRef.noSender());
    assertEquals("rejected 1", observer.receiveMessage());
    recorder.tell("next", ActorRef.noSender());
    assertEquals("stored next", observer.receiveMessage());
  }

  @Test
  void storageFailureStopsTheActor() {
    TestProbe<Object> observer = testKit.createTestProbe(Object.class);
    ActorRef recorder = recorder(Map.of("class", FailingStorageJournal.class.getName()), observer);

    recorder.tell("lost", ActorRef.noSender());
    assertEquals("failed 1", observer.receiveMessage());
    observer.expectTerminated(Adapter.toTyped(recorder));
  }
}
