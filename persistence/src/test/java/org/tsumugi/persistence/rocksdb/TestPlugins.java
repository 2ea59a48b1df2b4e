package org.tsumugi.persistence.rocksdb;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.Persistence;

/**
 * Plugin instances private to one test: a fresh plugin id whose section is the reference.conf section with the
 * test's own RocksDB directory, so that tests can share one ActorSystem.
 */
final class TestPlugins {
  static final String JOURNAL = "tsumugi.persistence.journal";
  static final String SNAPSHOT_STORE = "tsumugi.persistence.snapshot-store";
  private static final AtomicInteger NEXT = new AtomicInteger();

  private TestPlugins() {}

  /** A uniquely named copy of the {@code base} plugin section using {@code dir}, with overrides. */
  static Config section(String id, String base, Path dir, Map<String, Object> overrides) {
    Map<String, Object> values = new HashMap<>(overrides);
    values.put("dir", dir.toString());
    return ConfigFactory.parseMap(values)
        .withFallback(ConfigFactory.defaultReference().getConfig(base))
        .atPath(id);
  }

  static String uniqueId(String prefix) {
    return prefix + "-" + NEXT.incrementAndGet();
  }

  static ActorRef journal(ActorSystem<?> system, Path dir) {
    return journal(system, dir, Map.of());
  }

  static ActorRef journal(ActorSystem<?> system, Path dir, Map<String, Object> overrides) {
    String id = uniqueId("test-journal");
    return persistence(system).journalFor(id, section(id, JOURNAL, dir, overrides));
  }

  static ActorRef snapshotStore(ActorSystem<?> system, Path dir, Map<String, Object> overrides) {
    String id = uniqueId("test-snapshot-store");
    return persistence(system).snapshotStoreFor(id, section(id, SNAPSHOT_STORE, dir, overrides));
  }

  /** Journal and snapshot store for {@link Counter} in {@code dir}/journal and {@code dir}/snapshots. */
  static Counter.Plugins counterPlugins(Path dir) {
    String journalId = uniqueId("typed-journal");
    String snapshotsId = uniqueId("typed-snapshots");
    return new Counter.Plugins(
        journalId, section(journalId, JOURNAL, dir.resolve("journal"), Map.of()),
        snapshotsId, section(snapshotsId, SNAPSHOT_STORE, dir.resolve("snapshots"), Map.of()));
  }

  private static Persistence persistence(ActorSystem<?> system) {
    return Persistence.get(Adapter.toClassic(system));
  }
}
