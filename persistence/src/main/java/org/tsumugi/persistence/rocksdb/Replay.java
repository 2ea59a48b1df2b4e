package org.tsumugi.persistence.rocksdb;

import java.util.function.Consumer;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.serialization.Serialization;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/** One replay of a persistence id's events: a bounded forward scan of the journal's {@code events} family. */
final class Replay {
  private final RocksStore store;
  private final ColumnFamilyHandle events;
  private final Serialization serialization;
  private final int numericId;
  private final String persistenceId;

  Replay(RocksStore store, ColumnFamilyHandle events, Serialization serialization, int numericId,
      String persistenceId) {
    this.store = store;
    this.events = events;
    this.serialization = serialization;
    this.numericId = numericId;
    this.persistenceId = persistenceId;
  }

  /**
   * Hands events {@code from..to} (both inclusive, {@code from} 0 read as 1) to {@code callback} in sequence
   * order, at most {@code max} of them. Throws if the store cannot be read or an event cannot be deserialized:
   * a replay must fail rather than silently skip an event.
   */
  void run(long from, long to, long max, Consumer<PersistentRepr> callback) throws RocksDBException {
    store.read(() -> scan(from, to, max, callback));
  }

  private Void scan(long from, long to, long max, Consumer<PersistentRepr> callback) throws RocksDBException {
    long first = Math.max(1L, from);
    try (Slice upper = new Slice(JournalKey.justAfter(numericId, to));
        ReadOptions options = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator it = store.db().newIterator(events, options)) {
      long delivered = 0;
      for (it.seek(JournalKey.of(numericId, first)); it.isValid() && delivered < max; it.next()) {
        callback.accept(decode(it.key(), it.value()));
        delivered++;
      }
      it.status();
    }
    return null;
  }

  private PersistentRepr decode(byte[] key, byte[] value) {
    try {
      return serialization.deserialize(value, PersistentRepr.class).get();
    } catch (Exception e) { // Try.get rethrows checked exceptions too (e.g. NotSerializableException)
      throw new IllegalStateException("cannot deserialize event " + JournalKey.sequenceNr(key) + " of "
          + persistenceId + " in journal " + store.directory() + ": " + e, e);
    }
  }
}
