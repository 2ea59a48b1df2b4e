package org.tsumugi.persistence.rocksdb;

import java.nio.ByteBuffer;

/**
 * Keys of the journal's {@code events} column family: {@code [int numericId][long sequenceNr]}, both big-endian,
 * so that RocksDB's bytewise order is (persistence id, sequence number) order. Sequence number 0 is never an
 * event; {@code [id][0]} holds the highest sequence number written for that id.
 */
final class JournalKey {
  static final int SIZE = Integer.BYTES + Long.BYTES;

  private JournalKey() {}

  static byte[] of(int numericId, long sequenceNr) {
    return ByteBuffer.allocate(SIZE).putInt(numericId).putLong(sequenceNr).array();
  }

  static byte[] highest(int numericId) {
    return of(numericId, 0L);
  }

  /**
   * An exclusive upper bound just above {@code [id][sequenceNr]}: the key with one extra zero byte sorts after it
   * and before {@code [id][sequenceNr + 1]}, and it needs no {@code +1}, so {@code Long.MAX_VALUE} cannot
   * overflow.
   */
  static byte[] justAfter(int numericId, long sequenceNr) {
    return ByteBuffer.allocate(SIZE + 1).putInt(numericId).putLong(sequenceNr).put((byte) 0).array();
  }

  static long sequenceNr(byte[] key) {
    return ByteBuffer.wrap(key, Integer.BYTES, Long.BYTES).getLong();
  }

  static byte[] encodeLong(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  static long decodeLong(byte[] value) {
    return ByteBuffer.wrap(value).getLong();
  }
}
