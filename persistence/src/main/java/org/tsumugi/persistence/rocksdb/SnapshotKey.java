package org.tsumugi.persistence.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Keys of the snapshot store: {@code [int length][persistenceId UTF-8][long seqNr]}, big-endian. The length
 * prefix keeps one id from being a prefix of another ("a" and "ab"), so each id's snapshots form one contiguous
 * range ordered by sequence number.
 */
final class SnapshotKey {
  private SnapshotKey() {}

  static byte[] of(String persistenceId, long sequenceNr) {
    return encode(persistenceId, sequenceNr, 0);
  }

  /** An exclusive upper bound just above {@code of(persistenceId, sequenceNr)} (one extra zero byte). */
  static byte[] justAfter(String persistenceId, long sequenceNr) {
    return encode(persistenceId, sequenceNr, 1);
  }

  private static byte[] encode(String persistenceId, long sequenceNr, int padding) {
    byte[] pid = persistenceId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(Integer.BYTES + pid.length + Long.BYTES + padding)
        .putInt(pid.length).put(pid).putLong(sequenceNr).array();
  }

  static long sequenceNr(byte[] key) {
    return ByteBuffer.wrap(key, key.length - Long.BYTES, Long.BYTES).getLong();
  }
}
