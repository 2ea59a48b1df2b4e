package org.tsumugi.engine.train;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/** The one-sample Kolmogorov–Smirnov statistic and the bound the tests hold it to. */
final class KolmogorovSmirnov {
  private KolmogorovSmirnov() {}

  /** sup |F_n(x) − F(x)| for the sample against the exact CDF. */
  static double statistic(double[] sample, DoubleUnaryOperator cdf) {
    double[] x = sample.clone();
    Arrays.sort(x);
    int n = x.length;
    double d = 0;
    for (int i = 0; i < n; i++) {
      double f = cdf.applyAsDouble(x[i]);
      d = Math.max(d, Math.max(f - (double) i / n, (double) (i + 1) / n - f));
    }
    return d;
  }

  /** The 1% critical value of the KS statistic for large n: 1.63/√n. */
  static double bound(int n) {
    return 1.63 / Math.sqrt(n);
  }

  static double[] toDoubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
