package org.tsumugi.engine.optim;

import java.util.Arrays;

/**
 * bitsandbytes' dynamic 8-bit quantisation map ({@code create_dynamic_map}, 7 exponent bits, 8 bits in all): for
 * each decade 10⁻⁶…10⁰, the midpoints of a float32 {@code linspace(0.1, 1, n + 1)} scaled by that decade, with
 * n = 2^i (signed: both signs) or 2^(i+1) (unsigned), plus 0 and 1, sorted — 256 float32 values.
 *
 * <p>The reference builds the map with torch on the CPU, whose float32 linspace computes start + step·i (first half)
 * and end − step·(steps − 1 − i) (second half) each as one fused multiply-add on x86-64 (AVX2/AVX-512 kernels);
 * that is done here with {@link Math#fma}, so the map is the same on every machine.
 */
final class DynamicMap {
  static final int SIZE = 256;
  private static final int EXPONENT_BITS = 7;

  private DynamicMap() {}

  /** The sorted 256 code values: signed for the first moment, unsigned for the second. */
  static float[] create(boolean signed) {
    float[] data = new float[SIZE];
    int n = 0;
    for (int i = 0; i < EXPONENT_BITS; i++) {
      int items = signed ? (1 << i) + 1 : (1 << (i + 1)) + 1;
      float decade = (float) Math.pow(10, i - (EXPONENT_BITS - 1));
      float[] boundaries = linspace(0.1f, 1f, items);
      for (int j = 0; j + 1 < items; j++) {
        float mean = decade * ((boundaries[j] + boundaries[j + 1]) / 2f);
        data[n++] = mean;
        if (signed) {
          data[n++] = -mean;
        }
      }
    }
    data[n++] = 0f;
    data[n++] = 1f;
    Arrays.sort(data, 0, n);
    return data;
  }

  /** torch's CPU float32 linspace. */
  static float[] linspace(float start, float end, int steps) {
    float step = (end - start) / (steps - 1);
    int halfway = steps / 2;
    float[] out = new float[steps];
    for (int i = 0; i < steps; i++) {
      out[i] = i < halfway ? Math.fma(step, (float) i, start) : Math.fma(-step, (float) (steps - i - 1), end);
    }
    return out;
  }
}
