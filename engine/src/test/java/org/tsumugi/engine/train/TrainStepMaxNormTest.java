package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tsumugi.config.LrSchedulerType;
import org.tsumugi.config.OptimizerConfig;
import org.tsumugi.config.OptimizerType;
import org.tsumugi.config.TimestepConfig;
import org.tsumugi.config.TimestepSampling;
import org.tsumugi.engine.lora.LoraModule;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.model.wan.WanModel;
import org.tsumugi.engine.optim.MaxNorm;

/**
 * {@code scale_weight_norms} in the training step (reference/training.md §1.1 step 12, §4.5): after every micro-step,
 * after the update on sync steps, each adapter whose ‖up·down·alpha/rank‖_F exceeds M has up and down scaled by
 * √(M/‖ΔW‖). Norms are checked independently, in double, from the tensors' values.
 */
class TrainStepMaxNormTest {
  private static final TimestepConfig UNIFORM = TimestepConfig.defaults().withSampling(TimestepSampling.UNIFORM);
  private static final double SCALE = 2.0 / 4; // NETWORK's alpha / rank

  static NDManager manager;
  static WanModel model;

  @BeforeAll
  static void build() {
    manager = NDManager.newBaseManager();
    model = TinyTraining.model(manager);
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  private static OptimizerConfig adamW(OptionalDouble maxNorm) {
    return new OptimizerConfig(OptimizerType.ADAMW, 1e-3, Map.of(), 1.0, maxNorm);
  }

  private static TrainStep step(LoraNetwork lora, OptionalDouble maxNorm, int accumulation, NDManager m) {
    return TinyTraining.step(model, lora, adamW(maxNorm), TinyTraining.schedule(LrSchedulerType.CONSTANT), UNIFORM,
        accumulation, m);
  }

  /** Ups of five different sizes, so that adapters' ΔW norms spread over a decade. */
  private static LoraNetwork lora(NDManager m) {
    return TinyTraining.lora(model, m, i -> 0.01 * (1 + 2 * (i % 5)));
  }

  @Test
  void scalesAdaptersAboveTheMaximumAfterTheUpdate() {
    try (NDManager m = manager.newSubManager()) {
      TrainBatch batch = TinyTraining.batch(m, 7);
      // Twin runs from the same start: without max-norm, its weights are what max-norm sees after the update.
      LoraNetwork plainLora = lora(m);
      TrainStep plain = step(plainLora, OptionalDouble.empty(), 1, m);
      plain.accumulate(batch, 0);
      assertTrue(plain.update().maxNorm().isEmpty());
      List<float[]> before = TinyTraining.weights(plainLora);
      double[] norms = norms(plainLora.modules(), before);
      double[] sorted = norms.clone();
      Arrays.sort(sorted);
      double max = sorted[sorted.length / 2] * 1.0001; // about half the adapters above it

      LoraNetwork lora = lora(m);
      TrainStep regularised = step(lora, OptionalDouble.of(max), 1, m);
      regularised.accumulate(batch, 0);
      MaxNorm.Result result = regularised.update().maxNorm().orElseThrow();

      int scaled = 0;
      double sum = 0;
      double largest = 0;
      List<float[]> after = TinyTraining.weights(lora);
      for (int a = 0; a < norms.length; a++) {
        double clamped = Math.max(norms[a], max / 2);
        double ratio = Math.min(clamped, max) / clamped;
        scaled += ratio != 1 ? 1 : 0;
        sum += norms[a] * ratio;
        largest = Math.max(largest, norms[a] * ratio);
        for (int t = 2 * a; t <= 2 * a + 1; t++) {
          assertClose(times(before.get(t), Math.sqrt(ratio)), after.get(t), "tensor " + t);
        }
      }
      assertTrue(scaled > 0 && scaled < norms.length, scaled + " of " + norms.length + " scaled");
      assertEquals(scaled, result.keysScaled());
      assertEquals(sum / norms.length, result.meanNorm(), 1e-5 * result.meanNorm());
      assertEquals(max, result.maxNorm(), 1e-5 * max);
      for (double n : norms(lora.modules(), after)) {
        assertTrue(n <= max * (1 + 1e-5), "norm " + n + " above " + max);
      }
    }
  }

  @Test
  void appliesOncePerMicroStepAlsoWithoutAnUpdate() {
    try (NDManager m = manager.newSubManager()) {
      TrainBatch batch = TinyTraining.batch(m, 8);
      LoraNetwork lora = lora(m);
      List<float[]> initial = TinyTraining.weights(lora);
      double[] norms = norms(lora.modules(), initial);
      double max = Arrays.stream(norms).min().orElseThrow() / 2; // every adapter above it
      TrainStep explicit = step(lora, OptionalDouble.of(max), 2, m);
      explicit.accumulate(batch, 0); // not a sync step
      MaxNorm.Result first = explicit.scaleWeightNorms().orElseThrow();
      assertEquals(norms.length, first.keysScaled());
      List<float[]> scaled = TinyTraining.weights(lora);
      for (int a = 0; a < norms.length; a++) {
        double factor = Math.sqrt(max / norms[a]);
        assertClose(times(initial.get(2 * a), factor), scaled.get(2 * a), "down " + a);
        assertClose(times(initial.get(2 * a + 1), factor), scaled.get(2 * a + 1), "up " + a);
      }
      assertEquals(Optional.of(first), explicit.scaleWeightNorms(), "a second call reports the same application");
      assertWeightsEqual(scaled, TinyTraining.weights(lora), "a second call does not scale again");
      explicit.accumulate(batch, 1);
      assertTrue(explicit.update().maxNorm().isPresent());

      // Without the explicit call, the next accumulate applies the pending max-norm first: the same weights.
      LoraNetwork implicitLora = lora(m);
      TrainStep implicit = step(implicitLora, OptionalDouble.of(max), 2, m);
      implicit.accumulate(batch, 0);
      implicit.accumulate(batch, 1);
      implicit.update();
      assertWeightsEqual(TinyTraining.weights(lora), TinyTraining.weights(implicitLora), "explicit vs implicit");
    }
  }

  /** ‖up·down·alpha/rank‖_F of each adapter, in double. */
  private static double[] norms(List<LoraModule> modules, List<float[]> weights) {
    double[] out = new double[modules.size()];
    for (int a = 0; a < out.length; a++) {
      LoraModule mod = modules.get(a);
      int rank = (int) mod.down().getShape().get(0);
      int in = (int) mod.down().getShape().get(1);
      int outDim = (int) mod.up().getShape().get(0);
      float[] down = weights.get(2 * a);
      float[] up = weights.get(2 * a + 1);
      double sum = 0;
      for (int o = 0; o < outDim; o++) {
        for (int i = 0; i < in; i++) {
          double w = 0;
          for (int r = 0; r < rank; r++) {
            w += (double) up[o * rank + r] * down[r * in + i];
          }
          sum += (w * SCALE) * (w * SCALE);
        }
      }
      out[a] = Math.sqrt(sum);
    }
    return out;
  }

  private static double[] times(float[] values, double factor) {
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[i] * factor;
    }
    return out;
  }

  private static void assertClose(double[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-6 * Math.abs(expected[i]) + 1e-12, what + " element " + i);
    }
  }

  private static void assertWeightsEqual(List<float[]> expected, List<float[]> actual, String what) {
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), what + ": tensor " + i);
    }
  }
}
