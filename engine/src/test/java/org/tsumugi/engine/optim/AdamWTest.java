package org.tsumugi.engine.optim;

import static org.tsumugi.engine.optim.Close.assertClose;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamWTest {
  private static final AdamW.Settings SETTINGS = new AdamW.Settings(0.8, 0.95, 1e-3, 0.3);
  private static final double[] LRS = {0.05, 0.02, 0.08, 0.01, 0.05, 0.03};

  @Test
  void followsTorchAdamWUpdateOverSeveralSteps() {
    try (Trainables t = Trainables.random(1, 1.0, new long[] {3, 5}, new long[] {7})) {
      AdamW optimizer = new AdamW(SETTINGS, t.groups(), t.manager);
      float[][] p = t.values();
      float[][] m = {new float[15], new float[7]};
      float[][] v = {new float[15], new float[7]};
      Random random = new Random(2);
      for (int step = 1; step <= LRS.length; step++) {
        float[][] g = t.randomGradients(random, 0.5);
        t.setGradients(g);
        optimizer.step(t.groups(), new double[] {LRS[step - 1]});
        for (int i = 0; i < p.length; i++) {
          referenceStep(p[i], m[i], v[i], g[i], LRS[step - 1], step);
        }
        assertClose(p, t.values(), 2e-6, 1e-7, "parameters after step " + step);
      }
      assertClose(m[0], optimizer.stateTensors().get("p0.weight.exp_avg").toFloatArray(), 2e-6, 1e-8, "exp_avg");
      assertClose(v[1], optimizer.stateTensors().get("p1.weight.exp_avg_sq").toFloatArray(), 2e-6, 1e-9,
          "exp_avg_sq");
    }
  }

  /** torch.optim.AdamW, float32 per element, written from the documented formula. */
  static void referenceStep(float[] p, float[] m, float[] v, float[] g, double lr, int step) {
    double b1 = SETTINGS.beta1();
    double b2 = SETTINGS.beta2();
    double stepSize = lr / (1 - Math.pow(b1, step));
    double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, step));
    for (int i = 0; i < p.length; i++) {
      p[i] *= (float) (1 - lr * SETTINGS.weightDecay());
      m[i] = m[i] + (float) (1 - b1) * (g[i] - m[i]);
      v[i] = v[i] * (float) b2 + (float) (1 - b2) * g[i] * g[i];
      float denom = (float) Math.sqrt(v[i]) / (float) bc2Sqrt + (float) SETTINGS.eps();
      p[i] = p[i] + (float) -stepSize * m[i] / denom;
    }
  }
}
