package org.tsumugi.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tsumugi.engine.optim.Close.assertClose;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaxNormTest {
  private static final int RANK = 4;
  private static final int IN = 6;
  private static final int OUT = 5;

  @Test
  void scalesOnlyAdaptersAboveTheMaximumAndReportsTheNorms() {
    double maxNorm = 1.0;
    // ‖ΔW‖ grows with the factor scale: one adapter well above M, one between M/2 and M, one below M/2.
    double[] scales = {1.5, 0.55, 0.3};
    Random random = new Random(51);
    try (NDManager manager = NDManager.newBaseManager()) {
      List<MaxNorm.Adapter> adapters = new ArrayList<>();
      List<float[]> downs = new ArrayList<>();
      List<float[]> ups = new ArrayList<>();
      for (int a = 0; a < scales.length; a++) {
        float[] down = Trainables.gaussian(random, RANK * IN, scales[a]);
        float[] up = Trainables.gaussian(random, OUT * RANK, scales[a]);
        downs.add(down);
        ups.add(up);
        adapters.add(new MaxNorm.Adapter("lora_" + a, manager.create(down, new Shape(RANK, IN)),
            manager.create(up, new Shape(OUT, RANK)), 2f, RANK));
      }
      MaxNorm.Result result = MaxNorm.apply(adapters, maxNorm);

      int scaled = 0;
      double sum = 0;
      double max = 0;
      for (int a = 0; a < scales.length; a++) {
        double norm = deltaNorm(downs.get(a), ups.get(a), 2.0 / RANK);
        double clamped = Math.max(norm, maxNorm / 2);
        double ratio = Math.min(clamped, maxNorm) / clamped;
        float factor = (float) Math.sqrt(ratio);
        if (ratio != 1) {
          scaled++;
        }
        sum += norm * ratio;
        max = Math.max(max, norm * ratio);
        assertClose(times(downs.get(a), factor), adapters.get(a).down().toFloatArray(), 1e-6, 0, "down " + a);
        assertClose(times(ups.get(a), factor), adapters.get(a).up().toFloatArray(), 1e-6, 0, "up " + a);
      }
      assertEquals(1, scaled, "the test's adapters: exactly one above the maximum");
      assertEquals(scaled, result.keysScaled());
      assertEquals(sum / scales.length, result.meanNorm(), 1e-6);
      assertEquals(max, result.maxNorm(), 1e-6);
      assertEquals(maxNorm, max, 1e-6, "the scaled adapter reports the maximum norm");
    }
  }

  @Test
  void noAdaptersReportZeros() {
    assertEquals(new MaxNorm.Result(0, 0.0, 0.0), MaxNorm.apply(List.of(), 1.0));
  }

  private static double deltaNorm(float[] down, float[] up, double scale) {
    double sum = 0;
    for (int o = 0; o < OUT; o++) {
      for (int i = 0; i < IN; i++) {
        double w = 0;
        for (int r = 0; r < RANK; r++) {
          w += (double) up[o * RANK + r] * down[r * IN + i];
        }
        sum += (w * scale) * (w * scale);
      }
    }
    return Math.sqrt(sum);
  }

  private static float[] times(float[] x, float factor) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] * factor;
    }
    return out;
  }
}
