package org.tsumugi.persistence.rocksdb;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pekko.persistence.CapabilityFlag;
import org.apache.pekko.persistence.japi.journal.JavaJournalSpec;
import org.apache.pekko.persistence.japi.snapshot.JavaSnapshotStoreSpec;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Pekko's own persistence plugin TCK (journal and snapshot store specs) against the RocksDB plugins. */
class PekkoTckTest {

  private static Config pluginConfig(Path dir) {
    return ConfigFactory.parseMap(Map.of(
        "pekko.persistence.journal.plugin", "tsumugi.persistence.journal",
        "pekko.persistence.snapshot-store.plugin", "tsumugi.persistence.snapshot-store",
        "tsumugi.persistence.journal.dir", dir.resolve("journal").toString(),
        "tsumugi.persistence.snapshot-store.dir", dir.resolve("snapshots").toString(),
        "pekko.loglevel", "WARNING"));
  }

  @TestFactory
  Stream<DynamicTest> journalPassesPekkoJournalTck(@TempDir Path dir) {
    return PekkoTck.run(new JavaJournalSpec(pluginConfig(dir)) {
      @Override
      public CapabilityFlag supportsMetadata() {
        return CapabilityFlag.on();
      }
    });
  }

  @TestFactory
  Stream<DynamicTest> snapshotStorePassesPekkoSnapshotStoreTck(@TempDir Path dir) {
    return PekkoTck.run(new JavaSnapshotStoreSpec(pluginConfig(dir)) {
      @Override
      public CapabilityFlag supportsMetadata() {
        return CapabilityFlag.on();
      }
    });
  }
}
