package org.tsumugi.engine.io;

import java.nio.ByteBuffer;

/**
 * float8 e5m2 (bias 15, with ±Inf and NaNs, largest finite ±57344) ↔ float32. Narrowing follows torch
 * (c10/util/Float8_e5m2.h): round to nearest, ties to even, overflow to ±Inf from 61440 on, NaN → 0x7F | sign.
 */
public final class Fp8E5M2 {
  private static final float[] WIDE = new float[256];
  /** 65536.0f: from here on torch gives Inf (or NaN for a NaN input). */
  private static final int OVERFLOW_BITS = 143 << 23;
  /** 2^-14, the smallest normal e5m2 value. */
  private static final int MIN_NORMAL_BITS = 113 << 23;

  static {
    for (int b = 0; b < 256; b++) {
      WIDE[b] = widen(b);
    }
  }

  private Fp8E5M2() {}

  public static float toFloat(byte bits) {
    return WIDE[bits & 0xFF];
  }

  public static byte fromFloat(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 24) & 0x80;
    int abs = bits & 0x7FFFFFFF;
    int code;
    if (abs > 0x7F800000) {
      code = 0x7F;
    } else if (abs >= OVERFLOW_BITS) {
      code = 0x7C;
    } else if (abs < MIN_NORMAL_BITS) {
      code = (int) Math.rint(Float.intBitsToFloat(abs) * 65536.0); // multiples of 2^-16, ties to even
    } else {
      int oddMantissa = (abs >>> 21) & 1;
      code = (abs + ((15 - 127) << 23) + 0xFFFFF + oddMantissa) >>> 21;
    }
    return (byte) (sign | code);
  }

  private static float widen(int b) {
    // e5m2 is the top byte of an IEEE half
    return Fp16.toFloat((short) (b << 8));
  }

  /** Widens {@code count} bytes read from {@code src} (its position on) into {@code dst[offset..]}. */
  public static void decode(ByteBuffer src, float[] dst, int offset, int count) {
    Fp8E4M3.decodeWith(WIDE, src, dst, offset, count);
  }

  /** Narrows {@code count} values into {@code dst} at its position, advancing it. */
  public static void encode(float[] src, int offset, int count, ByteBuffer dst) {
    for (int i = 0; i < count; i++) {
      dst.put(fromFloat(src[offset + i]));
    }
  }
}
