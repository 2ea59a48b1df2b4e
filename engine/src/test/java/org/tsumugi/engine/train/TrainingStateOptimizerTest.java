package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.config.LrSchedulerType;
import org.tsumugi.config.OptimizerConfig;
import org.tsumugi.config.OptimizerType;
import org.tsumugi.config.TimestepConfig;
import org.tsumugi.config.TimestepSampling;
import org.tsumugi.engine.lora.LoraModule;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.model.wan.WanModel;
import org.tsumugi.engine.optim.OptimizerState;
import org.tsumugi.engine.optim.StateTensor;

/**
 * Real optimizer state through the state file: a few training steps on the generated tiny model with AdamW8bit (uint8
 * codes for the larger tensors, float32 moments for the rest) and with Prodigy (float32 tensors plus its scalar
 * estimates), saved, read back and compared bit for bit; then a step from the read-back state gives the same LoRA as
 * the same step without the round trip.
 */
class TrainingStateOptimizerTest {
  private static final TimestepConfig UNIFORM = TimestepConfig.defaults().withSampling(TimestepSampling.UNIFORM);
  private static final int STEPS_BEFORE_SAVE = 2;

  static NDManager manager;
  static WanModel model;

  @TempDir
  Path dir;

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
  void adamW8bitStateRoundTripsWithItsUint8Codes() throws IOException {
    // min_8bit_size 512: the ffn adapters (4·128 elements) keep 8-bit codes, the attention ones (4·64) float32.
    OptimizerConfig adamW8bit = new OptimizerConfig(OptimizerType.ADAMW8BIT, 1e-3,
        Map.of("min_8bit_size", "512", "weight_decay", "0.01"), 1.0);
    OptimizerState state = roundTripAndContinue(adamW8bit);
    assertTrue(state.tensors().values().stream().anyMatch(t -> t instanceof StateTensor.Bytes), "uint8 codes");
    assertTrue(state.tensors().values().stream().anyMatch(t -> t instanceof StateTensor.Floats), "float32 state");
  }

  @Test
  void prodigyStateRoundTripsWithItsEstimates() throws IOException {
    OptimizerConfig prodigy = new OptimizerConfig(OptimizerType.PRODIGY, 1.0,
        Map.of("d0", "1e-4", "weight_decay", "0.01", "use_bias_correction", "True"), 1.0);
    OptimizerState state = roundTripAndContinue(prodigy);
    assertTrue(state.scalars().containsKey("d"), "Prodigy's d among " + state.scalars().keySet());
  }

  /**
   * Trains, saves a state, reads it back (bit-identical) and restores it into a fresh LoRA and optimizer; one more
   * step from there must equal one more step of the original.
   *
   * @return the read-back optimizer state
   */
  private OptimizerState roundTripAndContinue(OptimizerConfig optimizer) throws IOException {
    try (NDManager m = manager.newSubManager()) {
      LoraNetwork lora = TinyTraining.lora(model, m, i -> 0.05);
      TrainStep step = step(lora, optimizer, m);
      TrainBatch batch = TinyTraining.batch(m, 5);
      for (int s = 0; s < STEPS_BEFORE_SAVE; s++) {
        step.accumulate(batch, s);
        step.update();
      }
      TrainingState saved = state(lora, step, new double[] {0.31, 0.29}, 0.6);
      TrainingState read = TrainingState.read(Files.write(dir.resolve("state.safetensors"), saved.toBytes()));
      TrainingStateTest.assertSameState(saved, read);

      LoraNetwork resumedLora = TinyTraining.lora(model, m, i -> 0.0);
      TrainStep resumed = step(resumedLora, optimizer, m);
      Map<String, float[]> weights = read.loraValues();
      for (LoraModule mod : resumedLora.modules()) {
        mod.down().set(weights.get(mod.downKey()));
        mod.up().set(weights.get(mod.upKey()));
      }
      resumed.setup().optimizer().restore(read.optimizer());
      resumed.restorePoolPosition(read.counters().poolPosition());

      long micro = read.counters().microStep();
      step.accumulate(batch, micro);
      step.update();
      resumed.accumulate(batch, micro);
      resumed.update();
      List<float[]> expected = TinyTraining.weights(lora);
      List<float[]> actual = TinyTraining.weights(resumedLora);
      for (int i = 0; i < expected.size(); i++) {
        assertArrayEquals(expected.get(i), actual.get(i), optimizer.optimizerType() + ": LoRA tensor " + i
            + " after a step from the read-back state");
      }
      return read.optimizer();
    }
  }

  private static TrainStep step(LoraNetwork lora, OptimizerConfig optimizer, NDManager m) {
    return TinyTraining.step(model, lora, optimizer, TinyTraining.schedule(LrSchedulerType.CONSTANT), UNIFORM, 1, m);
  }

  /** What a run saves between steps: every LoRA tensor, the optimizer's snapshot, counters and the loss window. */
  private static TrainingState state(LoraNetwork lora, TrainStep step, double[] losses, double lossTotal) {
    List<TrainingState.Tensor> weights = new ArrayList<>();
    for (LoraModule mod : lora.modules()) {
      weights.add(new TrainingState.Tensor(mod.downKey(), mod.down().getShape().getShape(), mod.down().toFloatArray()));
      weights.add(new TrainingState.Tensor(mod.upKey(), mod.up().getShape().getShape(), mod.up().toFloatArray()));
    }
    OptimizerState optimizer = step.setup().optimizer().snapshot();
    TrainingState.Counters counters = new TrainingState.Counters(optimizer.steps(), STEPS_BEFORE_SAVE, 0,
        STEPS_BEFORE_SAVE, step.poolPosition(), TinyTraining.SEED);
    return new TrainingState(counters, "sha", weights, optimizer, losses, lossTotal);
  }
}
