package org.tsumugi.persistence.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The journal's mapping persistenceId (UTF-8) → numeric id, stored in the {@code ids} column family. Ids are
 * allocated 1, 2, ... inside the write batch that first uses them and become visible to readers only once that
 * batch has been committed.
 */
final class PersistenceIds {
  private final ColumnFamilyHandle family;
  private final Map<String, Integer> committed = new ConcurrentHashMap<>();
  private final Map<String, Integer> pending = new HashMap<>();
  private int lastCommitted;
  private int lastAllocated;

  private PersistenceIds(ColumnFamilyHandle family) {
    this.family = family;
  }

  /** Reads every mapping of the store (a run has a handful of persistence ids). */
  static PersistenceIds load(RocksStore store, ColumnFamilyHandle family) throws RocksDBException {
    PersistenceIds ids = new PersistenceIds(family);
    try (RocksIterator it = store.db().newIterator(family)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        int id = ByteBuffer.wrap(it.value()).getInt();
        ids.committed.put(new String(it.key(), StandardCharsets.UTF_8), id);
        ids.lastCommitted = Math.max(ids.lastCommitted, id);
      }
      it.status();
    }
    ids.lastAllocated = ids.lastCommitted;
    return ids;
  }

  /** The committed numeric id of {@code persistenceId}; safe to call from any thread. */
  OptionalInt find(String persistenceId) {
    Integer id = committed.get(persistenceId);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /** The id to write under; a new id's mapping is added to {@code batch}. Called only by the journal actor. */
  int idForWrite(String persistenceId, WriteBatch batch) throws RocksDBException {
    Integer id = committed.get(persistenceId);
    if (id == null) {
      id = pending.get(persistenceId);
    }
    if (id == null) {
      id = ++lastAllocated;
      pending.put(persistenceId, id);
      batch.put(family, persistenceId.getBytes(StandardCharsets.UTF_8),
          ByteBuffer.allocate(Integer.BYTES).putInt(id).array());
    }
    return id;
  }

  /** The batch holding the pending mappings was written. */
  void commit() {
    committed.putAll(pending);
    pending.clear();
    lastCommitted = lastAllocated;
  }

  /** The batch holding the pending mappings was not written: forget them. */
  void rollback() {
    pending.clear();
    lastAllocated = lastCommitted;
  }
}
