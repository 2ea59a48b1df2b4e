package org.tsumugi.persistence.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.DeleteSnapshotSuccess;
import org.apache.pekko.persistence.DeleteSnapshotsSuccess;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot store plugin contract, exercised through Pekko's snapshot protocol. */
class RocksSnapshotStoreTest {
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

  private SnapshotClient store() {
    return store(Map.of());
  }

  private SnapshotClient store(Map<String, Object> overrides) {
    return new SnapshotClient(testKit, TestPlugins.snapshotStore(testKit.system(), dir, overrides));
  }

  private static SnapshotSelectionCriteria seqNrs(long min, long max) {
    return SnapshotSelectionCriteria.create(max, Long.MAX_VALUE, min, 0L);
  }

  private static long loadedSeqNr(Optional<SelectedSnapshot> selected) {
    return selected.orElseThrow(() -> new AssertionError("no snapshot loaded")).metadata().sequenceNr();
  }

  /** Saves snapshots one by one, a few milliseconds apart so that their timestamps differ. */
  private static List<SnapshotMetadata> saveApart(SnapshotClient store, String pid, long... seqNrs)
      throws InterruptedException {
    List<SnapshotMetadata> saved = new java.util.ArrayList<>();
    for (long seqNr : seqNrs) {
      saved.add(store.save(pid, seqNr, "state-" + seqNr));
      Thread.sleep(5);
    }
    return saved;
  }

  @Test
  void loadsTheYoungestSnapshotWithinSequenceBounds() throws InterruptedException {
    SnapshotClient store = store();
    saveApart(store, "run", 10, 20, 30, 40);

    SelectedSnapshot latest = store.load("run", SnapshotSelectionCriteria.latest()).orElseThrow();
    assertEquals(40L, latest.metadata().sequenceNr());
    assertEquals("state-40", latest.snapshot());
    assertEquals(30L, loadedSeqNr(store.load("run", seqNrs(0, 35))));
    assertEquals(20L, loadedSeqNr(store.load("run", seqNrs(15, 25))));
    assertEquals(20L, loadedSeqNr(store.load("run", SnapshotSelectionCriteria.latest(), 29)));
    assertEquals(Optional.empty(), store.load("run", seqNrs(41, Long.MAX_VALUE)));
    assertEquals(Optional.empty(), store.load("run", seqNrs(0, 9)));
    assertEquals(Optional.empty(), store.load("other", SnapshotSelectionCriteria.latest()));
  }

  @Test
  void selectsByTimestampBoundsAndKeepsTheAssignedTimestamp() throws InterruptedException {
    SnapshotClient store = store();
    List<SnapshotMetadata> saved = saveApart(store, "run", 10, 20, 30);
    long ts20 = saved.get(1).timestamp();

    SelectedSnapshot upToTs20 = store.load("run", SnapshotSelectionCriteria.create(Long.MAX_VALUE, ts20))
        .orElseThrow();
    assertEquals(saved.get(1), upToTs20.metadata(), "timestamp must come back exactly as Pekko assigned it");
    assertEquals(10L, loadedSeqNr(store.load("run", SnapshotSelectionCriteria.create(Long.MAX_VALUE, ts20 - 1))));
    assertEquals(30L, loadedSeqNr(store.load("run",
        SnapshotSelectionCriteria.create(Long.MAX_VALUE, Long.MAX_VALUE, 0L, ts20 + 1))));
    assertEquals(Optional.empty(), store.load("run",
        SnapshotSelectionCriteria.create(20L, Long.MAX_VALUE, 0L, ts20 + 1)));
  }

  @Test
  void deletesOneSnapshotBySequenceNrIgnoringTimestamp() throws InterruptedException {
    SnapshotClient store = store();
    saveApart(store, "run", 10, 20);
    SnapshotMetadata withoutTimestamp = SnapshotMetadata.apply("run", 20, 0L);

    assertEquals(new DeleteSnapshotSuccess(withoutTimestamp),
        store.ask(new SnapshotProtocol.DeleteSnapshot(withoutTimestamp)));
    assertEquals(10L, loadedSeqNr(store.load("run", SnapshotSelectionCriteria.latest())));
  }

  @Test
  void deletesExactlyTheSnapshotsMatchingCriteria() throws InterruptedException {
    SnapshotClient store = store();
    List<SnapshotMetadata> saved = saveApart(store, "run", 10, 20, 30, 40);
    saveApart(store, "other", 10);
    SnapshotSelectionCriteria upTo30ButOnlyUntilTs20 =
        SnapshotSelectionCriteria.create(30L, saved.get(1).timestamp());

    assertEquals(new DeleteSnapshotsSuccess(upTo30ButOnlyUntilTs20),
        store.ask(new SnapshotProtocol.DeleteSnapshots("run", upTo30ButOnlyUntilTs20)));
    assertEquals(Optional.empty(), store.load("run", seqNrs(0, 20)));
    assertEquals(30L, loadedSeqNr(store.load("run", seqNrs(0, 30))));
    assertEquals(40L, loadedSeqNr(store.load("run", SnapshotSelectionCriteria.latest())));
    assertEquals(10L, loadedSeqNr(store.load("other", SnapshotSelectionCriteria.latest())));
  }

  @Test
  void unreadableSnapshotFallsBackToAnOlderOne() {
    SnapshotClient store = store();
    store.save("run", 10, "good");
    store.save("run", 20, new Unreadable("corrupt"));

    SelectedSnapshot loaded = store.load("run", SnapshotSelectionCriteria.latest()).orElseThrow();
    assertEquals(10L, loaded.metadata().sequenceNr());
    assertEquals("good", loaded.snapshot());
  }

  @Test
  void loadFailsWithoutCrashingWhenNoTriedSnapshotIsReadable() {
    SnapshotClient store = store(Map.of("max-load-attempts", 2));
    store.save("run", 10, "good but too old to be tried");
    store.save("run", 20, new Unreadable("a"));
    store.save("run", 30, new Unreadable("b"));

    Object reply = store.loadReply("run", SnapshotSelectionCriteria.latest(), Long.MAX_VALUE);
    SnapshotProtocol.LoadSnapshotFailed failed = assertInstanceOf(SnapshotProtocol.LoadSnapshotFailed.class, reply);
    assertInstanceOf(SnapshotLoadException.class, failed.cause());
    assertTrue(failed.cause().getMessage().contains("no readable snapshot of run"), failed.cause().getMessage());
    store.save("run", 40, "after the failure");
    assertEquals("after the failure", store.load("run", SnapshotSelectionCriteria.latest()).orElseThrow().snapshot());
  }

  @Test
  void snapshotsUseTheApplicationsSerializers() {
    SnapshotClient store = store();
    record RunState(long step, String cursor) implements CborSerializable {}
    store.save("run", 5, new RunState(5, "epoch 0, index 40"));

    assertEquals(new RunState(5, "epoch 0, index 40"),
        store.load("run", SnapshotSelectionCriteria.latest()).orElseThrow().snapshot());
  }
}
