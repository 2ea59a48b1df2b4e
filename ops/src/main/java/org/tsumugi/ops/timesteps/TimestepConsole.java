package org.tsumugi.ops.timesteps;

import java.io.PrintStream;
import java.util.Locale;
import org.tsumugi.engine.train.TimestepHistogram;

/** The reference's console view of {@code --show_timesteps}: 40 rows of 25 bins, bars 64 characters wide. */
public final class TimestepConsole {

  private static final int PER_LINE = 25;
  private static final int WIDTH = 64;

  private TimestepConsole() {}

  public static void print(TimestepHistogram h, PrintStream out) {
    double[] counts = average(toDoubles(h.counts()));
    double maxCount = max(counts);
    out.println("Sampled timesteps: max count=" + maxCount);
    for (int i = 0; i < counts.length; i++) {
      out.println(range(i) + "#".repeat((int) (counts[i] / maxCount * WIDTH)));
    }
    double[] weights = average(h.weights());
    double maxWeight = max(weights);
    out.println("Sampled loss weighting: max weighting=" + maxWeight);
    for (int i = 0; i < weights.length; i++) {
      out.println(range(i) + String.format(Locale.ROOT, "%8.2f ", weights[i])
          + "#".repeat((int) (weights[i] / maxWeight * WIDTH)));
    }
  }

  private static String range(int row) {
    return String.format(Locale.ROOT, "%4d-%4d: ", row * PER_LINE, (row + 1) * PER_LINE - 1);
  }

  private static double[] average(double[] values) {
    double[] rows = new double[values.length / PER_LINE];
    for (int i = 0; i < rows.length; i++) {
      double sum = 0;
      for (int j = 0; j < PER_LINE; j++) {
        sum += values[i * PER_LINE + j];
      }
      rows[i] = sum / PER_LINE;
    }
    return rows;
  }

  private static double[] toDoubles(long[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }
}
