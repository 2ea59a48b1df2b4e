package org.tsumugi.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

/** torch's clip_grad_norm_ over all trainable tensors together (reference/training.md §1.1 step 9). */
class GradientsTest {

  @Test
  void clipsTheTotalNormAndLeavesSmallGradientsAlone() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {1, 2});
      NDArray b = m.create(new float[] {2});
      a.setRequiresGradient(true);
      b.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        // d/da sum(3a) = 3, d/db sum(4b^2)/2... use linear terms: grads (3, 3) and (4)
        gc.backward(a.mul(3).sum().add(b.mul(4).sum()));
      }
      List<Parameter> params = List.of(new Parameter("a", a), new Parameter("b", b));
      double norm = Gradients.clipByTotalNorm(params, 1.0);
      assertEquals(Math.sqrt(9 + 9 + 16), norm, 1e-6);
      double coef = 1.0 / (Math.sqrt(34) + 1e-6);
      assertArrayEquals(new float[] {(float) (3 * coef), (float) (3 * coef)}, a.getGradient().toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {(float) (4 * coef)}, b.getGradient().toFloatArray(), 1e-6f);

      assertEquals(1.0, Gradients.clipByTotalNorm(params, 10.0), 1e-5);
      assertArrayEquals(new float[] {(float) (4 * coef)}, b.getGradient().toFloatArray(), 1e-6f);
      Gradients.zero(params);
      assertArrayEquals(new float[] {0, 0}, a.getGradient().toFloatArray());
    }
  }
}
