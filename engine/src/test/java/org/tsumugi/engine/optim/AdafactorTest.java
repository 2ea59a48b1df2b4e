package org.tsumugi.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tsumugi.engine.optim.Close.assertClose;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AdafactorTest {
  private static final int ROWS = 6;
  private static final int COLS = 8;
  private static final double[] LRS = {0.05, 0.02, 0.08, 0.01, 0.05, 0.03};

  @Test
  void relativeStepWithFactoredAndUnfactoredMoments() {
    // The third tensor starts at zero (a LoRA up weight): its scale is eps2, not RMS(p).
    run(Adafactor.Settings.defaults(), true);
  }

  @Test
  void externalLearningRateWithFirstMomentWeightDecayAndClipping() {
    run(new Adafactor.Settings(1e-30, 1e-3, 0.5, -0.8, 0.9, 0.2, false, false, false), false);
  }

  @Test
  void warmupInitGrowsTheRelativeStep() {
    run(new Adafactor.Settings(1e-30, 1e-3, 1.0, -0.6, null, 0.0, true, true, true), true);
  }

  @Test
  void warmupInitReportsOneMillionthOfTheStepTimesRms() {
    Adafactor.Settings warmup = new Adafactor.Settings(1e-30, 1e-3, 1.0, -0.8, null, 0.0, true, true, true);
    try (Trainables t = Trainables.random(9, 1.0, new long[] {ROWS, COLS})) {
      Adafactor optimizer = new Adafactor(warmup, t.groups(), t.manager);
      Random random = new Random(1);
      for (int step = 1; step <= 3; step++) {
        double rms = rms(t.values()[0]);
        t.setGradients(t.randomGradients(random, 0.5));
        optimizer.step(t.groups(), new double[] {0});
        assertEquals(rms * 1e-6 * step, optimizer.reportedLearningRate(t.groups().get(0), 0), 2e-12 * rms * step);
      }
    }
  }

  @Test
  void reportsTheRelativeStepLearningRate() {
    try (Trainables t = Trainables.random(9, 1.0, new long[] {ROWS, COLS})) {
      Adafactor optimizer = new Adafactor(Adafactor.Settings.defaults(), t.groups(), t.manager);
      double rms = rms(t.values()[0]);
      t.setGradients(t.randomGradients(new Random(1), 0.5));
      optimizer.step(t.groups(), new double[] {0});
      assertEquals(rms * 1e-2, optimizer.reportedLearningRate(t.groups().get(0), 0), 1e-7 * rms);
    }
  }

  private static void run(Adafactor.Settings s, boolean zeroThird) {
    try (Trainables t = Trainables.random(9, 1.0, new long[] {ROWS, COLS}, new long[] {7}, new long[] {4, 3})) {
      if (zeroThird) {
        t.params.get(2).value().muli(0f);
      }
      Adafactor optimizer = new Adafactor(s, t.groups(), t.manager);
      float[][] start = t.values();
      double[][] p = toDouble(start);
      Moments[] moments = {new Moments(ROWS, COLS), new Moments(7), new Moments(4, 3)};
      Random random = new Random(10);
      for (int step = 1; step <= LRS.length; step++) {
        float[][] g = t.randomGradients(random, 0.5);
        t.setGradients(g);
        optimizer.step(t.groups(), new double[] {LRS[step - 1]});
        for (int i = 0; i < p.length; i++) {
          moments[i].step(s, p[i], g[i], LRS[step - 1], step);
        }
        assertDeltasClose(start, p, t.values(), "parameters after step " + step);
      }
      assertTrue(optimizer.stateTensors().containsKey("p0.weight.exp_avg_sq_row"));
      assertTrue(optimizer.stateTensors().containsKey("p1.weight.exp_avg_sq"));
      assertClose(toFloat(new double[][] {moments[0].row}),
          new float[][] {optimizer.stateTensors().get("p0.weight.exp_avg_sq_row").toFloatArray()}, 1e-5, 0, "row");
    }
  }

  /**
   * Compares the change of each parameter since the start: 1e-4 of the largest expected change, plus four float32
   * ulps of the parameter's magnitude (the resolution of the stored values).
   */
  private static void assertDeltasClose(float[][] start, double[][] expected, float[][] actual, String what) {
    for (int t = 0; t < start.length; t++) {
      float[] expectedDelta = new float[start[t].length];
      float[] actualDelta = new float[start[t].length];
      float magnitude = 0;
      for (int i = 0; i < start[t].length; i++) {
        expectedDelta[i] = (float) (expected[t][i] - start[t][i]);
        actualDelta[i] = actual[t][i] - start[t][i];
        magnitude = Math.max(magnitude, Math.abs(actual[t][i]));
      }
      assertClose(expectedDelta, actualDelta, 1e-4, 4 * Math.ulp(magnitude), what + " tensor " + t);
    }
  }

  /** One parameter's Adafactor state, in double, from transformers' formulas. */
  private static final class Moments {
    final int rows;
    final int cols;
    final boolean factored;
    final double[] row;
    final double[] col;
    final double[] full;
    final double[] first;

    Moments(int... shape) {
      factored = shape.length == 2;
      rows = shape[0];
      cols = factored ? shape[1] : 1;
      row = new double[rows];
      col = new double[cols];
      full = new double[rows * cols];
      first = new double[rows * cols];
    }

    void step(Adafactor.Settings s, double[] p, float[] g, double lr, int t) {
      double rel = s.relativeStep() ? Math.min(s.warmupInit() ? 1e-6 * t : 1e-2, 1 / Math.sqrt(t)) : lr;
      double lrT = (s.scaleParameter() ? Math.max(s.eps2(), rms(p)) : 1) * rel;
      double beta2t = 1 - Math.pow(t, s.decayRate());
      double[] update = new double[p.length];
      if (factored) {
        for (int i = 0; i < rows; i++) {
          double mean = 0;
          for (int j = 0; j < cols; j++) {
            mean += (g[i * cols + j] * (double) g[i * cols + j] + s.eps1()) / cols;
          }
          row[i] = beta2t * row[i] + (1 - beta2t) * mean;
        }
        for (int j = 0; j < cols; j++) {
          double mean = 0;
          for (int i = 0; i < rows; i++) {
            mean += (g[i * cols + j] * (double) g[i * cols + j] + s.eps1()) / rows;
          }
          col[j] = beta2t * col[j] + (1 - beta2t) * mean;
        }
        double rowMean = 0;
        for (double r : row) {
          rowMean += r / rows;
        }
        for (int i = 0; i < rows; i++) {
          for (int j = 0; j < cols; j++) {
            update[i * cols + j] = g[i * cols + j] / Math.sqrt(row[i] / rowMean) / Math.sqrt(col[j]);
          }
        }
      } else {
        for (int i = 0; i < p.length; i++) {
          full[i] = beta2t * full[i] + (1 - beta2t) * (g[i] * (double) g[i] + s.eps1());
          update[i] = g[i] / Math.sqrt(full[i]);
        }
      }
      double clip = Math.max(1, rms(update) / s.clipThreshold());
      for (int i = 0; i < p.length; i++) {
        update[i] = update[i] / clip * lrT;
        if (s.beta1() != null) {
          first[i] = s.beta1() * first[i] + (1 - s.beta1()) * update[i];
          update[i] = first[i];
        }
      }
      for (int i = 0; i < p.length; i++) {
        p[i] = p[i] - s.weightDecay() * lrT * p[i] - update[i];
      }
    }
  }

  private static double rms(double[] x) {
    double sum = 0;
    for (double v : x) {
      sum += v * v;
    }
    return Math.sqrt(sum / x.length);
  }

  private static double rms(float[] x) {
    double sum = 0;
    for (float v : x) {
      sum += (double) v * v;
    }
    return Math.sqrt(sum / x.length);
  }

  private static double[][] toDouble(float[][] x) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = new double[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = x[i][j];
      }
    }
    return out;
  }

  private static float[][] toFloat(double[][] x) {
    float[][] out = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = new float[x[i].length];
      for (int j = 0; j < x[i].length; j++) {
        out[i][j] = (float) x[i][j];
      }
    }
    return out;
  }
}
