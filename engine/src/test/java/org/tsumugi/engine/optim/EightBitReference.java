package org.tsumugi.engine.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An independent plain-Java model of bitsandbytes' dynamic map and block-wise 8-bit codes, written from
 * create_dynamic_map and the CUDA kernel's rules (nearest code by midpoints, ties to the even index, sign kept).
 */
final class EightBitReference {
  static final int BLOCK = 256;

  private EightBitReference() {}

  /** create_dynamic_map(signed) with torch's CPU float32 linspace, start + step·i as one fused multiply-add. */
  static float[] dynamicMap(boolean signed) {
    List<Float> data = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      int items = signed ? (1 << i) + 1 : (1 << (i + 1)) + 1;
      float[] b = linspace(0.1f, 1f, items);
      float scale = (float) Math.pow(10, -6 + i);
      for (int j = 0; j + 1 < items; j++) {
        float mean = (b[j] + b[j + 1]) / 2f;
        data.add(scale * mean);
        if (signed) {
          data.add(-(scale * mean));
        }
      }
    }
    data.add(0f);
    data.add(1f);
    Collections.sort(data);
    float[] out = new float[data.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = data.get(i);
    }
    return out;
  }

  private static float[] linspace(float start, float end, int steps) {
    float step = (end - start) / (steps - 1);
    float[] out = new float[steps];
    for (int i = 0; i < steps; i++) {
      out[i] = i < steps / 2 ? Math.fma(step, (float) i, start) : Math.fma(-step, (float) (steps - i - 1), end);
    }
    return out;
  }

  /** The code index of x: boundaries passed, strictly above the midpoint after an even index, at or above after odd. */
  static int nearest(float[] code, float x) {
    int index = 0;
    for (int k = 0; k + 1 < code.length; k++) {
      float mid = (code[k] + code[k + 1]) * 0.5f;
      if (k % 2 == 0 ? x > mid : x >= mid) {
        index = k + 1;
      }
    }
    return index;
  }

  /** The signed map's index moved one step towards the value's sign when the nearest code has the other sign. */
  static int keepSign(float[] code, int index, float value) {
    boolean codeNegative = Float.floatToRawIntBits(code[index]) < 0;
    boolean valueNegative = Float.floatToRawIntBits(value) < 0;
    if (codeNegative != valueNegative) {
      index += value > 0 ? 1 : -1;
    }
    return index & 0xff;
  }
}
