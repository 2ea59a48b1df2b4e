package org.tsumugi.engine.quant;

import java.util.ArrayList;
import java.util.List;

/**
 * An independent statement of the reference's scaled fp8 rule (reference/wan-model.md §5), written from the spec:
 * fp8 values enumerated from their bit fields and searched for the nearest (ties to the even code), bf16 rounding by
 * comparing the two neighbouring bf16 values, arithmetic in double where the float result is the same.
 */
public final class ReferenceFp8Rule {

  /** Non-negative finite e4m3fn values; index = code. */
  static final double[] VALUES = new double[127];

  static {
    for (int code = 0; code < 127; code++) {
      int e = code >> 3;
      int m = code & 7;
      VALUES[code] = e == 0 ? m * Math.pow(2, -9) : (1 + m / 8.0) * Math.pow(2, e - 7);
    }
  }

  /** One quantised weight: codes, scales, dequantised values. */
  public record Result(byte[] codes, float[] scales, float[] dequantised) {}

  private ReferenceFp8Rule() {}

  public static Result quantise(float[] w, int groupSize, boolean bf16) {
    int groups = w.length / groupSize;
    byte[] codes = new byte[w.length];
    float[] scales = new float[groups];
    float[] out = new float[w.length];
    for (int g = 0; g < groups; g++) {
      double max = 0;
      boolean nan = false;
      for (int i = g * groupSize; i < (g + 1) * groupSize; i++) {
        nan |= Float.isNaN(w[i]);
        max = Math.max(max, Math.abs((double) w[i]));
      }
      float s = nan ? Float.NaN : round((float) (max / 448.0), bf16);
      float floor = round((float) 1e-8, bf16);
      if (!Float.isNaN(s) && s < floor) {
        s = floor;
      }
      scales[g] = s;
      for (int i = g * groupSize; i < (g + 1) * groupSize; i++) {
        codes[i] = code((float) ((double) w[i] / s));
        out[i] = round((float) (value(codes[i]) * s), bf16);
      }
    }
    return new Result(codes, scales, out);
  }

  /** nan_to_num(0), clamp to ±448, nearest e4m3fn value with ties to the even code. */
  static byte code(float q) {
    double x = Float.isNaN(q) ? 0 : Math.max(-448, Math.min(448, q));
    boolean negative = x < 0 || (x == 0 && Float.floatToRawIntBits(q) < 0 && !Float.isNaN(q));
    double a = Math.abs(x);
    int best = 0;
    for (int c = 1; c < VALUES.length; c++) {
      double d = Math.abs(VALUES[c] - a);
      double bestD = Math.abs(VALUES[best] - a);
      if (d < bestD || (d == bestD && (c & 1) == 0)) {
        best = c;
      }
    }
    return (byte) (negative ? 0x80 | best : best);
  }

  static double value(byte code) {
    int c = code & 0x7F;
    if (c == 0x7F) {
      return Double.NaN;
    }
    return (code & 0x80) != 0 ? -VALUES[c] : VALUES[c];
  }

  /** Round to bfloat16 by choosing between the two neighbours (ties to an even mantissa), or keep float32. */
  static float round(float x, boolean bf16) {
    if (!bf16 || Float.isNaN(x) || Float.isInfinite(x)) {
      return x;
    }
    int bits = Float.floatToRawIntBits(x);
    float low = Float.intBitsToFloat(bits & 0xFFFF0000);
    float high = Float.intBitsToFloat((bits & 0xFFFF0000) + 0x10000);
    double dl = Math.abs((double) x - low);
    double dh = Math.abs((double) high - x);
    if (dl < dh) {
      return low;
    }
    if (dh < dl) {
      return high;
    }
    return ((bits >>> 16) & 1) == 0 ? low : high;
  }

  /** Test rows covering the rule's edges, each {@code groupSize} long. */
  static List<float[]> edgeGroups(int groupSize) {
    List<float[]> groups = new ArrayList<>();
    groups.add(fill(groupSize, i -> i == 0 ? 448f : i == 1 ? -448f : i == 2 ? 0.0013f : i == 3 ? 1e-40f
        : i == 4 ? -0.0f : (i - 32) * 13.7f));
    groups.add(fill(groupSize, i -> i == 5 ? 1000f : i == 6 ? -999.9f : (float) Math.sin(i) * 700f));
    groups.add(fill(groupSize, i -> 0f));
    groups.add(fill(groupSize, i -> i % 3 == 0 ? 1e-40f : -3e-39f));
    groups.add(fill(groupSize, i -> i == 7 ? Float.NaN : i * 0.5f));
    groups.add(fill(groupSize, i -> i == 9 ? Float.POSITIVE_INFINITY : -i * 0.25f));
    groups.add(fill(groupSize, i -> (float) Math.sin(i * 1.7) * 0.02f));
    groups.add(fill(groupSize, i -> (float) Math.cos(i * 0.3) * 4e-6f));
    return groups;
  }

  private static float[] fill(int n, java.util.function.IntFunction<Float> f) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = f.apply(i);
    }
    return v;
  }
}
