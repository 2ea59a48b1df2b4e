package org.tsumugi.persistence.rocksdb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The value stored for one snapshot: {@code [long timestamp][int n][n bytes: the snapshot as serialized by Pekko's
 * snapshot serializer, i.e. serializer id + manifest + bytes of the state][byte hasMetadata]} followed, when the
 * flag is 1, by {@code [int serializerId][UTF manifest][int n][n bytes]} of the snapshot metadata.
 */
record SnapshotRecord(long timestamp, byte[] snapshot, Optional<SerializedObject> metadata) {

  /** An object serialized by one of Pekko's serializers. */
  record SerializedObject(int serializerId, String manifest, byte[] bytes) {}

  byte[] encode() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(snapshot.length + 32);
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.writeLong(timestamp);
      out.writeInt(snapshot.length);
      out.write(snapshot);
      out.writeBoolean(metadata.isPresent());
      if (metadata.isPresent()) {
        SerializedObject meta = metadata.get();
        out.writeInt(meta.serializerId());
        out.writeUTF(meta.manifest());
        out.writeInt(meta.bytes().length);
        out.write(meta.bytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array stream does not fail
    }
    return buffer.toByteArray();
  }

  static SnapshotRecord decode(byte[] value) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
      long timestamp = in.readLong();
      byte[] snapshot = readExactly(in, in.readInt());
      Optional<SerializedObject> metadata = Optional.empty();
      if (in.readBoolean()) {
        int serializerId = in.readInt();
        String manifest = in.readUTF();
        metadata = Optional.of(new SerializedObject(serializerId, manifest, readExactly(in, in.readInt())));
      }
      return new SnapshotRecord(timestamp, snapshot, metadata);
    }
  }

  private static byte[] readExactly(DataInputStream in, int length) throws IOException {
    if (length < 0) {
      throw new IOException("negative length " + length + " in a snapshot record");
    }
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new IOException("snapshot record truncated: " + bytes.length + " of " + length + " bytes");
    }
    return bytes;
  }

  /** Only the timestamp, for selection without decoding the rest. */
  static long timestampOf(byte[] value) {
    return java.nio.ByteBuffer.wrap(value, 0, Long.BYTES).getLong();
  }
}
