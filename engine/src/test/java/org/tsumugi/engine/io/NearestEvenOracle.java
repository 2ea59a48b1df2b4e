package org.tsumugi.engine.io;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

/**
 * Brute-force reference for narrowing conversions, independent of the bit tricks under test: the representable
 * non-negative finite values of a format, found by decoding every code from the format's definition, and the nearest
 * one to x with ties going to the even code.
 */
final class NearestEvenOracle {
  private final double[] values;
  private final int[] codes;

  /** @param decode value of a code from the format definition, NaN for non-finite codes */
  NearestEvenOracle(int codeCount, IntToDoubleFunction decode) {
    double[] v = new double[codeCount];
    int[] c = new int[codeCount];
    int n = 0;
    for (int code = 0; code < codeCount; code++) {
      double d = decode.applyAsDouble(code);
      if (Double.isFinite(d) && d >= 0 && Double.doubleToRawLongBits(d) != Long.MIN_VALUE) {
        v[n] = d;
        c[n] = code;
        n++;
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    double[] vv = v;
    Arrays.sort(order, (a, b) -> Double.compare(vv[a], vv[b]));
    values = new double[n];
    codes = new int[n];
    for (int i = 0; i < n; i++) {
      values[i] = v[order[i]];
      codes[i] = c[order[i]];
    }
  }

  double largest() {
    return values[values.length - 1];
  }

  /** The code of the representable magnitude nearest to a magnitude (ties to the even code); no overflow handling. */
  int nearest(double magnitude) {
    int i = Arrays.binarySearch(values, magnitude);
    if (i >= 0) {
      return codes[i];
    }
    int above = -i - 1;
    if (above == values.length) {
      return codes[above - 1];
    }
    int below = above - 1;
    double dBelow = magnitude - values[below];
    double dAbove = values[above] - magnitude;
    if (dBelow < dAbove) {
      return codes[below];
    }
    if (dAbove < dBelow) {
      return codes[above];
    }
    return (codes[below] & 1) == 0 ? codes[below] : codes[above];
  }

  /** The midpoint between the largest finite value and the next power step (where overflow starts). */
  double overflowMidpoint(double nextStep) {
    return (largest() + nextStep) / 2;
  }
}
