package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tsumugi.config.LrSchedulerConfig;
import org.tsumugi.config.NetworkConfig;
import org.tsumugi.config.OptimizerConfig;
import org.tsumugi.config.OptimizerType;
import org.tsumugi.config.TimestepConfig;
import org.tsumugi.config.TimestepSampling;
import org.tsumugi.engine.Golden;
import org.tsumugi.engine.io.Checkpoint;
import org.tsumugi.engine.lora.LoraModule;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.model.BlockExecutor;
import org.tsumugi.engine.model.wan.WanCheckpoint;
import org.tsumugi.engine.model.wan.WanGoldenTestConfig;
import org.tsumugi.engine.model.wan.WanLoraTargets;
import org.tsumugi.engine.model.wan.WanModel;

/** One training step on the golden tiny model: accumulation, determinism, and that training fits a batch. */
class TrainStepTest {

  static NDManager manager;
  static WanModel model;
  static Checkpoint inputs;

  @BeforeAll
  static void load() throws IOException {
    manager = NDManager.newBaseManager();
    try (WanCheckpoint ckpt = WanCheckpoint.open(Golden.file("wan21-tiny/model.safetensors"),
        WanGoldenTestConfig.TINY)) {
      model = ckpt.load(manager);
    }
    inputs = Checkpoint.open(Golden.file("wan21-tiny/inputs.safetensors"));
  }

  @AfterAll
  static void close() throws IOException {
    inputs.close();
    manager.close();
  }

  private static TrainStep step(NDManager m, int gradientAccumulation, double lr, long seed) {
    NetworkConfig network = new NetworkConfig(4, 2, OptionalDouble.empty(), OptionalDouble.empty(),
        OptionalDouble.empty(), List.of(), List.of(), OptionalDouble.empty(), Map.of(), Optional.empty());
    LoraNetwork lora = LoraNetwork.create(WanLoraTargets.of(model.weights()), network, m, seed);
    for (LoraModule mod : lora.modules()) { // non-zero ups so that every gradient is non-trivial
      mod.up().set(mod.down().transpose().toFloatArray().length == mod.up().size()
          ? scaled(mod.up().size(), 0.01f) : scaled(mod.up().size(), 0.01f));
    }
    TrainStep.Options o = new TrainStep.Options(network, new OptimizerConfig(OptimizerType.ADAMW, lr, Map.of(), 1.0),
        LrSchedulerConfig.defaults(), TimestepConfig.defaults().withSampling(TimestepSampling.UNIFORM),
        gradientAccumulation, 100, seed, SigmaDtype.FLOAT32);
    return TrainStep.create(model, BlockExecutor.PLAIN, lora, o, m);
  }

  private static float[] scaled(long n, float scale) {
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = scale * (float) Math.sin(0.37 * i + 1);
    }
    return v;
  }

  private static TrainBatch batch(NDManager m) {
    return TrainBatch.textToVideo(inputs.load(m, "x0"), List.of(inputs.load(m, "context.0"), inputs.load(m, "context.1")));
  }

  private static List<float[]> gradients(TrainStep step) {
    List<float[]> out = new ArrayList<>();
    for (LoraModule mod : step.setup().lora().modules()) {
      out.add(mod.down().getGradient().toFloatArray());
      out.add(mod.up().getGradient().toFloatArray());
    }
    return out;
  }

  @Test
  void accumulatedMicroBatchesAverageTheirGradients() {
    try (NDManager m = manager.newSubManager()) {
      TrainStep single = step(m, 1, 1e-3, 3);
      single.accumulate(batch(m), 5);
      List<float[]> once = gradients(single);

      TrainStep accumulating = step(m, 2, 1e-3, 3);
      accumulating.accumulate(batch(m), 5);
      accumulating.accumulate(batch(m), 5); // the same draws twice: (g/2 + g/2) must equal g
      List<float[]> twice = gradients(accumulating);
      for (int i = 0; i < once.size(); i++) {
        Golden.assertClose(once.get(i), twice.get(i), "gradient " + i);
      }
    }
  }

  @Test
  void sameSeedAndCountersGiveBitIdenticalWeights() {
    try (NDManager m = manager.newSubManager()) {
      List<float[]> a = trainThreeSteps(m);
      List<float[]> b = trainThreeSteps(m);
      for (int i = 0; i < a.size(); i++) {
        assertArrayEquals(a.get(i), b.get(i), "parameter " + i);
      }
    }
  }

  private static List<float[]> trainThreeSteps(NDManager m) {
    TrainStep step = step(m, 1, 1e-3, 11);
    for (int i = 0; i < 3; i++) {
      step.accumulate(batch(m), i);
      step.update();
    }
    List<float[]> weights = new ArrayList<>();
    for (LoraModule mod : step.setup().lora().modules()) {
      weights.add(mod.down().toFloatArray());
      weights.add(mod.up().toFloatArray());
    }
    return weights;
  }

  @Test
  void updatesLowerTheLossOfARepeatedBatch() {
    try (NDManager m = manager.newSubManager()) {
      TrainStep step = step(m, 1, 3e-3, 5);
      float first = step.accumulate(batch(m), 0).loss();
      step.update();
      float last = first;
      for (int i = 0; i < 15; i++) {
        last = step.accumulate(batch(m), 0).loss(); // same noise and timesteps every time
        step.update();
      }
      assertTrue(last < 0.9f * first, "loss " + first + " -> " + last);
    }
  }

  @Test
  void gradientsAreZeroAfterAnUpdate() {
    try (NDManager m = manager.newSubManager()) {
      TrainStep step = step(m, 1, 1e-3, 9);
      step.accumulate(batch(m), 0);
      TrainStep.UpdateResult r = step.update();
      assertTrue(r.gradNorm() > 0);
      for (float[] g : gradients(step)) {
        for (float v : g) {
          assertEquals(0f, v);
        }
      }
    }
  }

  @Test
  void stepsLeaveNoNativeArraysBehind() {
    try (NDManager m = manager.newSubManager()) {
      TrainStep step = step(m, 1, 1e-3, 13);
      TrainBatch batch = batch(m);
      step.accumulate(batch, 0);
      step.update(); // the optimizer's state exists from here on
      int live = m.getManagedArrays().size();
      for (int i = 1; i < 4; i++) {
        step.accumulate(batch, i);
        step.update();
      }
      assertEquals(live, m.getManagedArrays().size(), "arrays alive after more steps");
    }
  }
}
