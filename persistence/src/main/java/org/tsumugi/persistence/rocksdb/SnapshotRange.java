package org.tsumugi.persistence.rocksdb;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * The snapshots of one persistence id that match a {@link SnapshotSelectionCriteria}: sequence number and
 * timestamp both within their inclusive bounds. (Pekko's own {@code criteria.matches} is not public.)
 */
final class SnapshotRange {
  /** One stored snapshot: its key and its encoded {@link SnapshotRecord}. */
  record Entry(byte[] key, byte[] value) {
    long sequenceNr() {
      return SnapshotKey.sequenceNr(key);
    }
  }

  private SnapshotRange() {}

  /** Matching snapshots, youngest (highest sequence number) first, at most {@code limit} of them. */
  static List<Entry> youngestFirst(RocksStore store, ColumnFamilyHandle family, String persistenceId,
      SnapshotSelectionCriteria criteria, int limit) throws RocksDBException {
    List<Entry> matches = new ArrayList<>();
    long minSequenceNr = Math.max(0L, criteria.minSequenceNr());
    if (criteria.maxSequenceNr() < minSequenceNr || criteria.maxTimestamp() < criteria.minTimestamp()) {
      return matches;
    }
    try (Slice lower = new Slice(SnapshotKey.of(persistenceId, minSequenceNr));
        Slice upper = new Slice(SnapshotKey.justAfter(persistenceId, criteria.maxSequenceNr()));
        ReadOptions options = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
        RocksIterator it = store.db().newIterator(family, options)) {
      for (it.seekToLast(); it.isValid() && matches.size() < limit; it.prev()) {
        long timestamp = SnapshotRecord.timestampOf(it.value());
        if (timestamp >= criteria.minTimestamp() && timestamp <= criteria.maxTimestamp()) {
          matches.add(new Entry(it.key(), it.value()));
        }
      }
      it.status();
    }
    return matches;
  }
}
