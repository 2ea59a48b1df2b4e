package org.tsumugi.engine.io;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Both sshs hashes over a virtual safetensors buffer fed in order: first the 8-byte length and header, then each
 * tensor's data. Only the data feeds the model hash; the legacy hash sees the bytes of the whole buffer that fall in
 * [1 MiB, 1 MiB + 64 KiB).
 */
final class HashStream {
  private static final long LEGACY_START = 0x100000;
  private static final long LEGACY_END = LEGACY_START + 0x10000;

  private final MessageDigest model = sha256();
  private final MessageDigest legacy = sha256();
  private long position;

  HashStream(byte[] prefix) {
    legacyPart(ByteBuffer.wrap(prefix));
    position = prefix.length;
  }

  void update(ByteBuffer data) {
    ByteBuffer bytes = data.duplicate();
    legacyPart(bytes.duplicate());
    position += bytes.remaining();
    model.update(bytes);
  }

  private void legacyPart(ByteBuffer bytes) {
    long start = Math.max(position, LEGACY_START);
    long end = Math.min(position + bytes.remaining(), LEGACY_END);
    if (start < end) {
      int from = bytes.position() + (int) (start - position);
      legacy.update(bytes.limit(from + (int) (end - start)).position(from));
    }
  }

  SafetensorsHashes finish() {
    HexFormat hex = HexFormat.of();
    return new SafetensorsHashes(hex.formatHex(model.digest()), hex.formatHex(legacy.digest()).substring(0, 8));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}
