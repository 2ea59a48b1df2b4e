package org.tsumugi.engine.train;

/**
 * The dtype in which the reference holds the discrete σ table when it builds noisy inputs in {@code sigma} mode and
 * when it computes loss weights: its {@code dit_dtype} (for Wan the checkpoint's dtype, usually bfloat16;
 * reference/training.md §1.3 "σ is in dit_dtype"). Values are kept as floats rounded to the dtype's grid
 * (round to nearest even, overflow to infinity), which is what a tensor of that dtype would hold.
 */
public enum SigmaDtype {
  FLOAT32,
  BFLOAT16,
  FLOAT16;

  /** {@code x} rounded to this dtype. */
  public float round(float x) {
    return switch (this) {
      case FLOAT32 -> x;
      case BFLOAT16 -> toBfloat16(x);
      case FLOAT16 -> toFloat16(x);
    };
  }

  private static float toBfloat16(float x) {
    if (Float.isNaN(x)) {
      return x;
    }
    int bits = Float.floatToRawIntBits(x);
    bits += 0x7FFF + ((bits >>> 16) & 1);
    return Float.intBitsToFloat(bits & 0xFFFF0000);
  }

  private static float toFloat16(float x) {
    if (Float.isNaN(x) || Float.isInfinite(x)) {
      return x;
    }
    float a = Math.abs(x);
    if (a < 0x1.0p-14f) {
      // subnormal half: a multiple of 2^-24 (scaling by a power of two is exact)
      return Math.copySign((float) Math.rint(a * 0x1.0p24) * 0x1.0p-24f, x);
    }
    int bits = Float.floatToRawIntBits(a);
    bits += 0xFFF + ((bits >>> 13) & 1);
    float r = Float.intBitsToFloat(bits & 0xFFFFE000);
    return Math.copySign(r > 65504f ? Float.POSITIVE_INFINITY : r, x);
  }
}
