package org.tsumugi.engine.io;

import java.nio.ByteBuffer;

/**
 * float8 e4m3fn (bias 7, no infinities, NaN = S.1111.111, largest finite ±448) ↔ float32.
 *
 * <p>Narrowing follows torch's {@code tensor.to(torch.float8_e4m3fn)} (c10/util/Float8_e4m3fn.h): round to nearest,
 * ties to even, and NO saturation — a magnitude above 464 (the midpoint between 448 and the NaN code), ±Inf and NaN
 * all become NaN (0x7F, or 0xFF with the sign). Exactly 464 ties to 448. Callers that want saturation clamp to ±448
 * first, as the reference's fp8 quantisation does.
 */
public final class Fp8E4M3 {
  private static final float[] WIDE = new float[256];
  /** 480.0f: from here on (and for Inf/NaN) torch's conversion gives NaN. */
  private static final int NAN_FROM_BITS = 0x43F00000;
  /** 2^-6, the smallest normal e4m3fn value. */
  private static final int MIN_NORMAL_BITS = 121 << 23;

  static {
    for (int b = 0; b < 256; b++) {
      WIDE[b] = widen(b);
    }
  }

  private Fp8E4M3() {}

  public static float toFloat(byte bits) {
    return WIDE[bits & 0xFF];
  }

  public static byte fromFloat(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 24) & 0x80;
    int abs = bits & 0x7FFFFFFF;
    int code;
    if (abs >= NAN_FROM_BITS) {
      code = 0x7F;
    } else if (abs < MIN_NORMAL_BITS) {
      code = (int) Math.rint(Float.intBitsToFloat(abs) * 512.0); // multiples of 2^-9, ties to even
    } else {
      int oddMantissa = (abs >>> 20) & 1;
      code = (abs + ((7 - 127) << 23) + 0x7FFFF + oddMantissa) >>> 20;
    }
    return (byte) (sign | code);
  }

  private static float widen(int b) {
    float sign = (b & 0x80) != 0 ? -1f : 1f;
    int exponent = (b >>> 3) & 0xF;
    int mantissa = b & 0x7;
    if (exponent == 0xF && mantissa == 0x7) {
      return Float.NaN;
    }
    if (exponent == 0) {
      return sign * mantissa * 0x1p-9f;
    }
    return sign * Math.scalb(1f + mantissa / 8f, exponent - 7);
  }

  /** Widens {@code count} bytes read from {@code src} (its position on) into {@code dst[offset..]}. */
  public static void decode(ByteBuffer src, float[] dst, int offset, int count) {
    decodeWith(WIDE, src, dst, offset, count);
  }

  /** Narrows {@code count} values into {@code dst} at its position, advancing it. */
  public static void encode(float[] src, int offset, int count, ByteBuffer dst) {
    for (int i = 0; i < count; i++) {
      dst.put(fromFloat(src[offset + i]));
    }
  }

  static void decodeWith(float[] table, ByteBuffer src, float[] dst, int offset, int count) {
    ByteBuffer in = src.duplicate();
    byte[] chunk = new byte[Math.min(1 << 15, count)];
    for (int done = 0; done < count; ) {
      int n = Math.min(chunk.length, count - done);
      in.get(chunk, 0, n);
      for (int i = 0; i < n; i++) {
        dst[offset + done + i] = table[chunk[i] & 0xFF];
      }
      done += n;
    }
  }
}
