package org.tsumugi.engine.optim;

import static org.tsumugi.engine.optim.Close.assertClose;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LionTest {
  private static final double[] LRS = {0.05, 0.02, 0.08, 0.01, 0.05, 0.03};

  @Test
  void followsLionPytorchWithWeightDecay() {
    run(new Lion.Settings(0.8, 0.95, 0.3, false), 1.0);
  }

  @Test
  void decoupledWeightDecayIsDividedByTheInitialLearningRate() {
    run(new Lion.Settings(0.9, 0.99, 0.01, true), 0.05);
  }

  private static void run(Lion.Settings settings, double initialLr) {
    try (Trainables t = Trainables.random(5, 1.0, new long[] {4, 6}, new long[] {5})) {
      Lion optimizer = new Lion(settings, initialLr, t.groups(), t.manager);
      float[][] p = t.values();
      float[][] m = {new float[24], new float[5]};
      Random random = new Random(6);
      double wd = settings.decoupledWeightDecay() ? settings.weightDecay() / initialLr : settings.weightDecay();
      for (int step = 1; step <= LRS.length; step++) {
        float[][] g = t.randomGradients(random, 0.5);
        t.setGradients(g);
        optimizer.step(t.groups(), new double[] {LRS[step - 1]});
        for (int i = 0; i < p.length; i++) {
          referenceStep(settings, p[i], m[i], g[i], LRS[step - 1], wd);
        }
        assertClose(p, t.values(), 1e-6, 1e-7, "parameters after step " + step);
      }
      assertClose(m[0], optimizer.stateTensors().get("p0.weight.exp_avg").toFloatArray(), 1e-6, 1e-8, "exp_avg");
    }
  }

  /** p ← p(1 − lr·wd) − lr·sign(β1·m + (1 − β1)·g); m ← β2·m + (1 − β2)·g. */
  private static void referenceStep(Lion.Settings s, float[] p, float[] m, float[] g, double lr, double wd) {
    for (int i = 0; i < p.length; i++) {
      p[i] *= (float) (1 - lr * wd);
      float c = m[i] * (float) s.beta1() + g[i] * (float) (1 - s.beta1());
      p[i] += (float) -lr * Math.signum(c);
      m[i] = m[i] * (float) s.beta2() + g[i] * (float) (1 - s.beta2());
    }
  }
}
