package org.tsumugi.engine.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;

/**
 * IEEE half precision ↔ float32 with torch's semantics: narrowing rounds to nearest, ties to even (subnormals
 * included), overflows to ±Inf from 65520 on, and turns NaN into sign | 0x7E00 (c10/util/Half.h).
 */
public final class Fp16 {
  private static final float[] WIDE = new float[1 << 16];
  private static final int CHUNK = 1 << 14;
  /** 65520: the midpoint between the largest half (65504) and 2^16, which ties to the even neighbour, Inf. */
  private static final int OVERFLOW_BITS = 0x477FF000;
  /** 2^-14, the smallest normal half. */
  private static final int MIN_NORMAL_BITS = 0x38800000;

  static {
    for (int h = 0; h < WIDE.length; h++) {
      WIDE[h] = widen(h);
    }
  }

  private Fp16() {}

  public static float toFloat(short bits) {
    return WIDE[bits & 0xFFFF];
  }

  public static short fromFloat(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7FFFFFFF;
    if (abs > 0x7F800000) {
      return (short) (sign | 0x7E00);
    }
    if (abs >= OVERFLOW_BITS) {
      return (short) (sign | 0x7C00);
    }
    if (abs >= MIN_NORMAL_BITS) {
      int rounded = abs + 0x0FFF + ((abs >>> 13) & 1);
      return (short) (sign | ((rounded - (112 << 23)) >>> 13));
    }
    return (short) (sign | subnormal(abs));
  }

  /** A value below 2^-14 as a multiple of 2^-24, rounded to nearest even (1024 becomes the smallest normal). */
  private static int subnormal(int abs) {
    int exponent = abs >>> 23;
    if (exponent < 102) {
      return 0; // below 2^-25: rounds to zero (float32 subnormals included)
    }
    int mantissa = (abs & 0x7FFFFF) | 0x800000;
    int shift = 126 - exponent;
    int quotient = mantissa >>> shift;
    int remainder = mantissa & ((1 << shift) - 1);
    int half = 1 << (shift - 1);
    if (remainder > half || (remainder == half && (quotient & 1) == 1)) {
      quotient++;
    }
    return quotient;
  }

  private static float widen(int h) {
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /** Widens {@code count} little-endian halves read from {@code src} into {@code dst[offset..]}. */
  public static void decode(ByteBuffer src, float[] dst, int offset, int count) {
    ShortBuffer shorts = src.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    short[] chunk = new short[Math.min(CHUNK, count)];
    for (int done = 0; done < count; ) {
      int n = Math.min(chunk.length, count - done);
      shorts.get(chunk, 0, n);
      for (int i = 0; i < n; i++) {
        dst[offset + done + i] = WIDE[chunk[i] & 0xFFFF];
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
