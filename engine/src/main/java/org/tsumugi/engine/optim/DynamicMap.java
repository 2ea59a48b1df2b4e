package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;

/**
 * bitsandbytes' dynamic 8-bit quantisation map ({@code create_dynamic_map}, 7 exponent bits, 8 bits in all): for
 * each decade 10⁻⁶…10⁰, the midpoints of a float32 {@code linspace(0.1, 1, n + 1)} scaled by that decade, with
 * n = 2^i (signed: both signs) or 2^(i+1) (unsigned), plus 0 and 1, sorted — 256 float32 values. The linspace and the
 * float32 products run in libtorch, as in the reference, so the values carry its rounding (its CPU linspace fuses
 * the multiply-add).
 */
final class DynamicMap {
  static final int SIZE = 256;
  private static final int EXPONENT_BITS = 7;

  private DynamicMap() {}

  /** The sorted 256 code values: signed for the first moment, unsigned for the second. */
  static float[] create(boolean signed, NDManager manager) {
    float[] data = new float[SIZE];
    int n = 0;
    try (NDManager scratch = manager.newSubManager()) {
      for (int i = 0; i < EXPONENT_BITS; i++) {
        int items = signed ? (1 << i) + 1 : (1 << (i + 1)) + 1;
        float decade = (float) Math.pow(10, i - (EXPONENT_BITS - 1));
        float[] means = midpoints(scratch.linspace(0.1f, 1f, items)).mul(decade).toFloatArray();
        for (float m : means) {
          data[n++] = m;
          if (signed) {
            data[n++] = -m;
          }
        }
      }
    }
    data[n++] = 0f;
    data[n++] = 1f;
    if (n != SIZE) {
      throw new IllegalStateException("dynamic map has " + n + " values, expected " + SIZE);
    }
    Arrays.sort(data);
    return data;
  }

  private static NDArray midpoints(NDArray boundaries) {
    long last = boundaries.size() - 1;
    NDArray lower = boundaries.get(new NDIndex("0:" + last));
    NDArray upper = boundaries.get(new NDIndex("1:"));
    return lower.add(upper).div(2f);
  }
}
