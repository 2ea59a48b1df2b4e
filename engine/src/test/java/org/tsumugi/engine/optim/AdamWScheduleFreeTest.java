package org.tsumugi.engine.optim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tsumugi.engine.optim.Close.assertClose;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamWScheduleFreeTest {
  private static final int STEPS = 7;
  private static final double LR = 0.05;

  @Test
  void trainPointFollowsTheZXAveragesAndEvalGivesTheAverage() {
    run(new AdamWScheduleFree.Settings(0.9, 0.999, 1e-8, 0.1, 3, 0.5, 2.0, 0.0));
  }

  @Test
  void innerMomentumAndNoWarmup() {
    run(new AdamWScheduleFree.Settings(0.8, 0.99, 1e-3, 0.0, 0, 0.0, 2.0, 0.9));
  }

  @Test
  void refusesToStepInEvalMode() {
    try (Trainables t = Trainables.random(14, 1.0, new long[] {3})) {
      AdamWScheduleFree optimizer =
          new AdamWScheduleFree(AdamWScheduleFree.Settings.defaults(), t.groups(), t.manager);
      t.setGradients(new float[][] {{1, 2, 3}});
      assertThrows(IllegalStateException.class, () -> optimizer.step(t.groups(), new double[] {LR}));
    }
  }

  private static void run(AdamWScheduleFree.Settings s) {
    try (Trainables t = Trainables.random(15, 1.0, new long[] {4, 3}, new long[] {5})) {
      AdamWScheduleFree optimizer = new AdamWScheduleFree(s, t.groups(), t.manager);
      optimizer.trainMode();
      Reference ref = new Reference(s, t.values());
      Random random = new Random(16);
      for (int step = 1; step <= STEPS; step++) {
        float[][] g = t.randomGradients(random, 0.5);
        t.setGradients(g);
        optimizer.step(t.groups(), new double[] {LR});
        ref.step(g, LR);
        assertClose(ref.points(ref.y), t.values(), 1e-5, 1e-7, "y after step " + step);
        if (step == 4 || step == STEPS) {
          optimizer.evalMode();
          assertClose(ref.points(ref.x), t.values(), 1e-5, 1e-7, "x (eval weights) after step " + step);
          optimizer.trainMode();
          assertClose(ref.points(ref.y), t.values(), 1e-5, 1e-7, "y back in train mode after step " + step);
        }
      }
    }
  }

  /** Schedule-free AdamW in its paper form: z steps, x averages z, y interpolates them (double). */
  private static final class Reference {
    final AdamWScheduleFree.Settings s;
    final double[][] x;
    final double[][] y;
    final double[][] z;
    final double[][] v;
    final double[][] m;
    long k;
    double lrMax = -1;
    double weightSum;

    Reference(AdamWScheduleFree.Settings s, float[][] start) {
      this.s = s;
      x = new double[start.length][];
      y = new double[start.length][];
      z = new double[start.length][];
      v = new double[start.length][];
      m = new double[start.length][];
      for (int i = 0; i < start.length; i++) {
        x[i] = new double[start[i].length];
        for (int j = 0; j < start[i].length; j++) {
          x[i][j] = start[i][j];
        }
        y[i] = x[i].clone();
        z[i] = x[i].clone();
        v[i] = new double[start[i].length];
        m[i] = new double[start[i].length];
      }
    }

    void step(float[][] g, double lr) {
      double lrK = lr * (k < s.warmupSteps() ? (double) (k + 1) / s.warmupSteps() : 1.0);
      lrMax = Math.max(lrMax, lrK);
      double weight = Math.pow(k + 1, s.r()) * Math.pow(lrMax, s.weightLrPower());
      weightSum += weight;
      double c = weight / weightSum;
      double bc2 = 1 - Math.pow(s.beta2(), k + 1);
      double bc1 = 1 - Math.pow(s.innerMomentum(), k + 1);
      for (int i = 0; i < x.length; i++) {
        for (int j = 0; j < x[i].length; j++) {
          v[i][j] = s.beta2() * v[i][j] + (1 - s.beta2()) * g[i][j] * g[i][j];
          double denom = Math.sqrt(v[i][j] / bc2) + s.eps();
          double direction = g[i][j];
          if (s.innerMomentum() != 0) {
            m[i][j] = s.innerMomentum() * m[i][j] + (1 - s.innerMomentum()) * g[i][j];
            direction = m[i][j] / bc1;
          }
          double normalized = direction / denom + s.weightDecay() * y[i][j];
          z[i][j] -= lrK * normalized;
          x[i][j] = (1 - c) * x[i][j] + c * z[i][j];
          y[i][j] = (1 - s.beta1()) * z[i][j] + s.beta1() * x[i][j];
        }
      }
      k++;
    }

    float[][] points(double[][] values) {
      float[][] out = new float[values.length][];
      for (int i = 0; i < values.length; i++) {
        out[i] = new float[values[i].length];
        for (int j = 0; j < values[i].length; j++) {
          out[i][j] = (float) values[i][j];
        }
      }
      return out;
    }
  }
}
