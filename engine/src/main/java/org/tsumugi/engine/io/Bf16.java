package org.tsumugi.engine.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

/**
 * bfloat16 ↔ float32 with torch's semantics: narrowing rounds to nearest, ties to even, overflows to ±Inf, and turns
 * every NaN into the canonical 0x7FC0 (c10/util/BFloat16.h {@code round_to_nearest_even}).
 */
public final class Bf16 {
  private static final short CANONICAL_NAN = 0x7FC0;
  private static final int CHUNK = 1 << 14;

  private Bf16() {}

  public static float toFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }

  public static short fromFloat(float value) {
    if (Float.isNaN(value)) {
      return CANONICAL_NAN;
    }
    int bits = Float.floatToRawIntBits(value);
    int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
    return (short) (rounded >>> 16);
  }

  /** Widens {@code count} little-endian bf16 values read from {@code src} (its position on) into {@code dst[offset..]}. */
  public static void decode(ByteBuffer src, float[] dst, int offset, int count) {
    ShortBuffer shorts = src.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    short[] chunk = new short[Math.min(CHUNK, count)];
    for (int done = 0; done < count; ) {
      int n = Math.min(chunk.length, count - done);
      shorts.get(chunk, 0, n);
      for (int i = 0; i < n; i++) {
        dst[offset + done + i] = Float.intBitsToFloat((chunk[i] & 0xFFFF) << 16);
      }
      done += n;
    }
  }

  /** Narrows {@code count} values into {@code dst} (little-endian) at its position, advancing it. */
  public static void encode(float[] src, int offset, int count, ByteBuffer dst) {
    ByteBuffer out = dst.order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      out.putShort(fromFloat(src[offset + i]));
    }
  }
}
