package org.tsumugi.engine.optim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tsumugi.engine.optim.Close.assertClose;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SgdTest {
  private static final double[] LRS = {0.05, 0.02, 0.08, 0.01, 0.05, 0.03};

  @Test
  void plainSgdWithWeightDecay() {
    run(new Sgd.Settings(0, 0, 0.3, false));
  }

  @Test
  void momentumWithDampeningStartsFromTheFirstGradient() {
    run(new Sgd.Settings(0.9, 0.25, 0.1, false));
  }

  @Test
  void nesterovMomentum() {
    run(new Sgd.Settings(0.8, 0, 0.2, true));
  }

  @Test
  void refusesNesterovWithoutMomentum() {
    assertThrows(IllegalArgumentException.class, () -> new Sgd.Settings(0, 0, 0, true));
  }

  private static void run(Sgd.Settings settings) {
    try (Trainables t = Trainables.random(7, 1.0, new long[] {3, 4}, new long[] {6})) {
      Sgd optimizer = new Sgd(settings, t.groups(), t.manager);
      float[][] p = t.values();
      float[][] buffer = {null, null};
      Random random = new Random(8);
      for (int step = 1; step <= LRS.length; step++) {
        float[][] g = t.randomGradients(random, 0.5);
        t.setGradients(g);
        optimizer.step(t.groups(), new double[] {LRS[step - 1]});
        for (int i = 0; i < p.length; i++) {
          buffer[i] = referenceStep(settings, p[i], buffer[i], g[i], LRS[step - 1]);
        }
        assertClose(p, t.values(), 1e-6, 1e-7, "parameters after step " + step);
      }
    }
  }

  /** torch.optim.SGD per element; returns the momentum buffer. */
  private static float[] referenceStep(Sgd.Settings s, float[] p, float[] buffer, float[] g, double lr) {
    float[] d = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      d[i] = g[i] + (float) s.weightDecay() * p[i];
    }
    if (s.momentum() != 0) {
      if (buffer == null) {
        buffer = d.clone();
      } else {
        for (int i = 0; i < p.length; i++) {
          buffer[i] = buffer[i] * (float) s.momentum() + (float) (1 - s.dampening()) * d[i];
        }
      }
      for (int i = 0; i < p.length; i++) {
        d[i] = s.nesterov() ? d[i] + (float) s.momentum() * buffer[i] : buffer[i];
      }
    }
    for (int i = 0; i < p.length; i++) {
      p[i] += (float) -lr * d[i];
    }
    return buffer;
  }
}
