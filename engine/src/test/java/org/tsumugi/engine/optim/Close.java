package org.tsumugi.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Float comparisons for optimizer tests. */
final class Close {
  private Close() {}

  /** |a − e| ≤ rel·max|e| + abs for every element, failing with the first offending index. */
  static void assertClose(float[][] expected, float[][] actual, double rel, double abs, String what) {
    assertEquals(expected.length, actual.length, what + ": tensor count");
    for (int t = 0; t < expected.length; t++) {
      assertClose(expected[t], actual[t], rel, abs, what + " tensor " + t);
    }
  }

  static void assertClose(float[] expected, float[] actual, double rel, double abs, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double scale = 0;
    for (float e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    double tolerance = rel * scale + abs;
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(expected[i] - actual[i]) <= tolerance)) {
        fail(what + " element " + i + ": expected " + expected[i] + " got " + actual[i] + " (tolerance "
            + tolerance + ")");
      }
    }
  }

  /** Bit-identical tensors. */
  static void assertIdentical(float[][] expected, float[][] actual, String what) {
    for (int t = 0; t < expected.length; t++) {
      for (int i = 0; i < expected[t].length; i++) {
        if (Float.floatToRawIntBits(expected[t][i]) != Float.floatToRawIntBits(actual[t][i])) {
          fail(what + " tensor " + t + " element " + i + ": expected " + expected[t][i] + " got "
              + actual[t][i]);
        }
      }
    }
  }
}
