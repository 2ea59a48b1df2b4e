package org.tsumugi.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tsumugi.engine.optim.Close.assertClose;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProdigyTest {
  private static final int STEPS = 8;

  @Test
  void estimateGrowsAndParametersFollowTheReference() {
    Prodigy.Settings s = new Prodigy.Settings(0.9, 0.999, null, 1e-8, 0.0, true, false, false, 1e-3, 1.0,
        Double.POSITIVE_INFINITY, 1);
    double[] d = run(s, 1.0);
    assertTrue(d[STEPS - 1] > 10 * s.d0(), "d grew from d0 " + s.d0() + " to " + d[STEPS - 1]);
  }

  @Test
  void growthRateBiasCorrectionSafeguardDecoupledDecayAndSlicing() {
    Prodigy.Settings s = new Prodigy.Settings(0.9, 0.99, 0.999, 1e-8, 0.1, true, true, true, 1e-3, 2.0, 1.5, 3);
    double[] d = run(s, 1.0);
    int limited = 0;
    for (int i = 1; i < STEPS; i++) {
      assertTrue(d[i] <= d[i - 1] * 1.5 * (1 + 1e-12), "growth limited at step " + (i + 1));
      limited += Math.abs(d[i] - 1.5 * d[i - 1]) <= 1e-12 * d[i] ? 1 : 0;
    }
    assertTrue(limited >= 2, "growth_rate bound d at least twice: " + java.util.Arrays.toString(d));
  }

  @Test
  void coupledWeightDecayWithoutFirstMoment() {
    run(new Prodigy.Settings(0.0, 0.999, null, 1e-8, 0.2, false, false, false, 1e-3, 1.0,
        Double.POSITIVE_INFINITY, 1), 1.0);
  }

  @Test
  void zeroGradientsLeaveParametersAndEstimateUnchanged() {
    try (Trainables t = Trainables.random(11, 1.0, new long[] {3, 4})) {
      Prodigy optimizer = new Prodigy(Prodigy.Settings.defaults(), t.groups(), t.manager);
      float[][] before = t.values();
      t.setGradients(new float[][] {new float[12]});
      optimizer.step(t.groups(), new double[] {1.0});
      assertArrayEquals(before[0], t.values()[0]);
      assertEquals(1e-6, optimizer.d());
      assertEquals(0.0, optimizer.stateScalars().get("k"));
    }
  }

  @Test
  void refusesDifferentGroupLearningRates() {
    try (Trainables t = Trainables.random(11, 1.0, new long[] {3}, new long[] {2})) {
      List<ParameterGroup> groups = List.of(new ParameterGroup("unet", 1, List.of(t.params.get(0))),
          new ParameterGroup("unet plus", 4, List.of(t.params.get(1))));
      Prodigy optimizer = new Prodigy(Prodigy.Settings.defaults(), groups, t.manager);
      t.setGradients(new float[][] {{1, 2, 3}, {1, 2}});
      assertThrows(IllegalArgumentException.class, () -> optimizer.step(groups, new double[] {1.0, 4.0}));
    }
  }

  /** Runs both implementations; returns d after each step. */
  private static double[] run(Prodigy.Settings s, double lr) {
    // The second tensor starts at zero (a LoRA up weight): its p0 is the reference's scalar 0.
    try (Trainables t = Trainables.random(12, 1.0, new long[] {4, 5}, new long[] {6})) {
      t.params.get(1).value().muli(0f);
      Prodigy optimizer = new Prodigy(s, t.groups(), t.manager);
      float[][] start = t.values();
      Reference ref = new Reference(s, start);
      Random random = new Random(13);
      float[][] base = t.randomGradients(random, 0.5);
      double[] d = new double[STEPS];
      for (int step = 1; step <= STEPS; step++) {
        float[][] g = t.randomGradients(random, 0.2);
        for (int i = 0; i < g.length; i++) {
          for (int j = 0; j < g[i].length; j++) {
            g[i][j] += base[i][j];
          }
        }
        t.setGradients(g);
        optimizer.step(t.groups(), new double[] {lr});
        ref.step(g, lr);
        d[step - 1] = optimizer.d();
        assertEquals(ref.d, optimizer.d(), 1e-5 * ref.d, "d after step " + step);
        assertClose(ref.p, t.values(), 1e-5, 2e-7, "parameters after step " + step);
      }
      assertEquals("[]", java.util.Arrays.toString(optimizer.stateTensors().get("p1.weight.p0").getShape()
          .getShape()));
      return d;
    }
  }

  /** prodigyopt's Prodigy in double, written from its step(). */
  private static final class Reference {
    final Prodigy.Settings s;
    final float[][] p;
    final double[][] p0;
    final double[][] m;
    final double[][] v;
    final double[][] sum;
    double d;
    double dMax;
    double dNumerator;
    long k;

    Reference(Prodigy.Settings s, float[][] start) {
      this.s = s;
      this.p = Trainables.copy(start);
      this.d = s.d0();
      this.dMax = s.d0();
      p0 = new double[start.length][];
      m = new double[start.length][];
      v = new double[start.length][];
      sum = new double[start.length][];
      for (int i = 0; i < start.length; i++) {
        p0[i] = new double[start[i].length];
        for (int j = 0; j < start[i].length; j++) {
          p0[i][j] = start[i][j];
        }
        m[i] = new double[start[i].length];
        v[i] = new double[start[i].length];
        sum[i] = new double[(start[i].length + s.sliceP() - 1) / s.sliceP()];
      }
    }

    void step(float[][] grads, double lr) {
      double beta3 = s.beta3() != null ? s.beta3() : Math.sqrt(s.beta2());
      double bc = s.useBiasCorrection()
          ? Math.sqrt(1 - Math.pow(s.beta2(), k + 1)) / (1 - Math.pow(s.beta1(), k + 1)) : 1;
      double dlr = d * lr * bc;
      double numerator = dNumerator * beta3;
      double denominator = 0;
      double[][] g = new double[grads.length][];
      for (int i = 0; i < p.length; i++) {
        g[i] = new double[p[i].length];
        double dot = 0;
        for (int j = 0; j < p[i].length; j++) {
          g[i][j] = grads[i][j] + (s.decouple() ? 0 : s.weightDecay() * p[i][j]);
          if (j % s.sliceP() == 0) {
            dot += g[i][j] * (p0[i][j] - p[i][j]);
          }
          m[i][j] = s.beta1() * m[i][j] + d * (1 - s.beta1()) * g[i][j];
          v[i][j] = s.beta2() * v[i][j] + d * d * (1 - s.beta2()) * g[i][j] * g[i][j];
        }
        numerator += (d / s.d0()) * dlr * dot;
        double alpha = s.safeguardWarmup() ? (d / s.d0()) * d : (d / s.d0()) * dlr;
        for (int j = 0; j < sum[i].length; j++) {
          sum[i][j] = beta3 * sum[i][j] + alpha * g[i][j * s.sliceP()];
          denominator += Math.abs(sum[i][j]);
        }
      }
      double dHat = s.dCoef() * numerator / denominator;
      if (d == s.d0()) {
        d = Math.max(d, dHat);
      }
      dMax = Math.max(dMax, dHat);
      d = Math.min(dMax, d * s.growthRate());
      dNumerator = numerator;
      for (int i = 0; i < p.length; i++) {
        for (int j = 0; j < p[i].length; j++) {
          double x = p[i][j];
          if (s.decouple()) {
            x -= s.weightDecay() * dlr * x;
          }
          double denom = Math.sqrt(v[i][j]) + d * s.eps();
          x -= s.beta1() > 0 ? dlr * m[i][j] / denom : dlr * d * g[i][j] / denom;
          p[i][j] = (float) x;
        }
      }
      k++;
    }
  }
}
