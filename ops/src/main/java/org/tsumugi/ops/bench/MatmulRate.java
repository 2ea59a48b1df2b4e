package org.tsumugi.ops.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** The machine's dense float32 matrix-product rate through the same libtorch, in GFLOP/s. */
public final class MatmulRate {

  private MatmulRate() {}

  /** Times {@code repeats} products of two n×n matrices after one warm-up product; the best of three rounds. */
  public static double measure(int n, int repeats) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
      NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
      a.matMul(b).close();
      double best = 0;
      for (int round = 0; round < 3; round++) {
        long start = System.nanoTime();
        for (int i = 0; i < repeats; i++) {
          try (NDArray c = a.matMul(b)) {
            c.getFloat(0, 0); // forces completion
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        best = Math.max(best, 2.0 * n * n * n * repeats / seconds / 1e9);
      }
      return best;
    }
  }
}
