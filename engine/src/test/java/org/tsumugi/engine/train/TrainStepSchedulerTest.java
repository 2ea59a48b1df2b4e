package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tsumugi.config.LrSchedulerType;
import org.tsumugi.config.NetworkConfig;
import org.tsumugi.config.OptimizerConfig;
import org.tsumugi.config.OptimizerType;
import org.tsumugi.config.TimestepConfig;
import org.tsumugi.config.TimestepSampling;
import org.tsumugi.engine.lora.LoraModule;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.model.wan.WanModel;
import org.tsumugi.engine.optim.ParameterGroup;

/**
 * The learning rates a step uses and reports (reference/training.md §4.2, §4.4): a schedule's next rate, Adafactor's own
 * step size when it has relative_step, and the constant rate of schedule-free optimizers, which also save their
 * averaged point. Runs a few steps on a generated tiny model.
 */
class TrainStepSchedulerTest {
  private static final TimestepConfig UNIFORM = TimestepConfig.defaults().withSampling(TimestepSampling.UNIFORM);
  private static final double LR = 1e-3;

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

  @Test
  void aScheduleReportsTheNextUpdatesRate() {
    try (NDManager m = manager.newSubManager()) {
      LoraNetwork lora = TinyTraining.lora(model, m, i -> 0.05);
      TrainStep step = TinyTraining.step(model, lora, new OptimizerConfig(OptimizerType.ADAMW, LR, Map.of(), 1.0),
          TinyTraining.schedule(LrSchedulerType.LINEAR), UNIFORM, 1, m);
      // linear without warmup over N = 10 updates: λ(k) = (N − k)/N.
      assertArrayEquals(new double[] {LR}, step.reportedLearningRates(), 1e-15);
      step.accumulate(TinyTraining.batch(m, 3), 0);
      TrainStep.UpdateResult r = step.update();
      assertArrayEquals(new double[] {LR}, r.learningRates(), 1e-15);
      assertArrayEquals(new double[] {LR * 0.9}, r.reportedLearningRates(), 1e-15);
      assertTrue(r.dTimesLearningRates().isEmpty());
    }
  }

  @Test
  void adafactorWithRelativeStepReportsItsOwnStepSize() {
    NetworkConfig plus = new NetworkConfig(4, 2, OptionalDouble.empty(), OptionalDouble.empty(),
        OptionalDouble.empty(), List.of(), List.of(), OptionalDouble.of(4), Map.of(), Optional.empty());
    try (NDManager m = manager.newSubManager()) {
      LoraNetwork lora = TinyTraining.lora(model, m, i -> 0.05);
      // lr_scheduler adafactor: a regular schedule of that name cannot be built, so the step must use Adafactor's own.
      TrainStep step = TinyTraining.step(model, lora, plus, new OptimizerConfig(OptimizerType.ADAFACTOR, LR,
          Map.of(), 1.0), TinyTraining.schedule(LrSchedulerType.ADAFACTOR), UNIFORM, 1, m);
      List<ParameterGroup> groups = step.setup().groups();
      assertEquals(2, groups.size(), "LoRA+ groups");
      // Before any update transformers' AdafactorSchedule reports its initial lr for every group, LoRA+ included.
      assertArrayEquals(new double[] {LR, LR}, step.reportedLearningRates(), 0);
      TrainBatch batch = TinyTraining.batch(m, 4);
      List<float[]> start = TinyTraining.weights(lora);
      for (int t = 1; t <= 2; t++) {
        double[] expected = new double[groups.size()];
        for (int g = 0; g < expected.length; g++) {
          // min(1e-2, 1/√t)·max(eps2, RMS(p)) of the group's first parameter before this update.
          double rms = rms(groups.get(g).parameters().get(0).value());
          expected[g] = Math.min(1e-2, 1 / Math.sqrt(t)) * Math.max(1e-3, rms);
        }
        assertTrue(Float.isFinite(step.accumulate(batch, t).loss()));
        TrainStep.UpdateResult r = step.update();
        assertArrayEquals(expected, r.reportedLearningRates(), 1e-6 * expected[0], "update " + t);
        assertArrayEquals(r.reportedLearningRates(), r.learningRates(), 0);
        assertArrayEquals(r.reportedLearningRates(), step.reportedLearningRates(), 0);
      }
      assertFalse(java.util.Arrays.equals(start.get(0), TinyTraining.weights(lora).get(0)), "weights move");
    }
  }

  @Test
  void scheduleFreeRunsAtAConstantRateAndSavesItsAverage() {
    try (NDManager m = manager.newSubManager()) {
      LoraNetwork lora = TinyTraining.lora(model, m, i -> 0.05);
      // A linear schedule would lower the rate; the reference replaces it by a constant one for schedule-free.
      TrainStep step = TinyTraining.step(model, lora, new OptimizerConfig(OptimizerType.ADAMW_SCHEDULE_FREE, LR,
          Map.of(), 1.0), TinyTraining.schedule(LrSchedulerType.LINEAR), UNIFORM, 1, m);
      TrainBatch batch = TinyTraining.batch(m, 5);
      for (int k = 0; k < 2; k++) {
        assertTrue(Float.isFinite(step.accumulate(batch, k).loss()));
        TrainStep.UpdateResult r = step.update();
        assertArrayEquals(new double[] {LR}, r.learningRates(), 0);
        assertArrayEquals(new double[] {LR}, r.reportedLearningRates(), 0);
      }
      LoraModule first = lora.modules().get(0);
      float[] y = first.down().toFloatArray();
      NDArray zArray = step.setup().optimizer().stateTensors().get(first.downKey() + ".z");
      float[] z = zArray.toFloatArray();
      step.evalMode(); // before a save: x = y + (1 − 1/β1)(z − y), β1 = 0.9
      float[] x = first.down().toFloatArray();
      for (int i = 0; i < y.length; i++) {
        double expected = y[i] + (1 - 1 / 0.9) * ((double) z[i] - y[i]);
        assertEquals(expected, x[i], 1e-6 * Math.abs(expected) + 1e-7, "x element " + i);
      }
      step.trainMode(); // after the save, back to y
      float[] back = first.down().toFloatArray();
      for (int i = 0; i < y.length; i++) {
        assertEquals(y[i], back[i], 1e-6 * Math.abs(y[i]) + 1e-7, "y element " + i);
      }
      assertTrue(Float.isFinite(step.accumulate(batch, 2).loss()));
      assertArrayEquals(new double[] {LR}, step.update().reportedLearningRates(), 0);
    }
  }

  private static double rms(NDArray p) {
    double sum = 0;
    float[] v = p.toFloatArray();
    for (float x : v) {
      sum += (double) x * x;
    }
    return Math.sqrt(sum / v.length);
  }
}
