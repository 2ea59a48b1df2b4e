package org.tsumugi.persistence.rocksdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksStoreTest {
  @TempDir Path dir;

  @Test
  void readAfterCloseIsAnErrorNotACrash() throws Exception {
    RocksStore store = RocksStore.open(dir.resolve("db"), List.of("events"));
    byte[] key = JournalKey.of(1, 1);
    store.db().put(store.family("events"), store.syncWrites(), key, new byte[] {42});
    assertArrayEquals(new byte[] {42}, store.read(() -> store.db().get(store.family("events"), key)));

    store.close();
    store.close();

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> store.read(() -> store.db().get(store.family("events"), key)));
    assertTrue(e.getMessage().contains("is closed"), e.getMessage());
  }

  @Test
  void unusableDirectoryIsAnOpenErrorThatIsNotALock() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");

    StoreOpenException e = assertThrows(StoreOpenException.class, () -> RocksStore.open(file, List.of("events")));

    assertFalse(e instanceof StoreLockedException, e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void secondOpenInTheSameProcessIsReportedAsLocked() {
    try (RocksStore first = RocksStore.open(dir.resolve("db"), List.of("events"))) {
      StoreOpenException e = assertThrows(StoreOpenException.class,
          () -> RocksStore.open(dir.resolve("db"), List.of("events")));
      assertInstanceOf(StoreLockedException.class, e, e.getMessage());
      assertTrue(e.getMessage().contains("already open in this process"), e.getMessage());
    }
  }
}
