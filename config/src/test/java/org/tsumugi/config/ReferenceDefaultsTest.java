package org.tsumugi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With only the required options given, every record holds the reference's default (reference/training.md §9). */
class ReferenceDefaultsTest {
  @TempDir
  static Path dir;
  static TsumugiConfig config;

  @BeforeAll
  static void load() {
    config = ConfigLoader.load(RunFiles.withRequired(dir));
  }

  @Test
  void optimizerDefaultsAreTheReferences() {
    // training.md §9: learning_rate 2e-6, max_grad_norm 1.0, optimizer_args None; optimizer "" → Tsumugi's AdamW.
    assertEquals(OptimizerType.ADAMW, config.optimizer().optimizerType());
    assertEquals(2.0e-6, config.optimizer().learningRate());
    assertEquals(1.0, config.optimizer().maxGradNorm());
    assertEquals(Map.of(), config.optimizer().optimizerArgs());
  }

  @Test
  void scheduleDefaultsAreTheReferences() {
    // §9: constant, warmup 0, decay 0, num_cycles 1, power 1, timescale None, min_lr_ratio None, args None.
    LrSchedulerConfig s = config.lrScheduler();
    assertEquals(LrSchedulerType.CONSTANT, s.lrScheduler());
    assertEquals(new StepCount.Steps(0), s.lrWarmupSteps());
    assertEquals(new StepCount.Steps(0), s.lrDecaySteps());
    assertEquals(1, s.lrSchedulerNumCycles());
    assertEquals(1.0, s.lrSchedulerPower());
    assertEquals(OptionalInt.empty(), s.lrSchedulerTimescale());
    assertEquals(OptionalDouble.empty(), s.lrSchedulerMinLrRatio());
    assertEquals(Map.of(), s.schedulerArgs());
  }

  @Test
  void timestepDefaultsAreTheReferences() {
    // §2 / §9: sigma, sigmoid_scale 1.0, discrete_flow_shift 1.0, none, logit 0.0/1.0, mode_scale 1.29,
    // min/max None, preserve False, buckets None.
    TimestepConfig t = config.timesteps();
    assertEquals(TimestepSampling.SIGMA, t.timestepSampling());
    assertEquals(1.0, t.sigmoidScale());
    assertEquals(1.0, t.discreteFlowShift());
    assertEquals(WeightingScheme.NONE, t.weightingScheme());
    assertEquals(0.0, t.logitMean());
    assertEquals(1.0, t.logitStd());
    assertEquals(1.29, t.modeScale());
    assertEquals(OptionalInt.empty(), t.minTimestep());
    assertEquals(OptionalInt.empty(), t.maxTimestep());
    assertFalse(t.preserveDistributionShape());
    assertEquals(OptionalInt.empty(), t.numTimestepBuckets());
    assertEquals(TimestepConfig.defaults(), t);
  }

  @Test
  void networkDefaultsAreTheReferences() {
    // lora-and-ema.md §1.4: network_dim None → 4, alpha 1, dropout None, args None, weights None.
    NetworkConfig n = config.network();
    assertEquals(4, n.networkDim());
    assertEquals(1.0, n.networkAlpha());
    assertEquals(OptionalDouble.empty(), n.networkDropout());
    assertEquals(List.of(), n.excludePatterns());
    assertEquals(Map.of(), n.networkArgs());
    assertEquals(Optional.empty(), n.networkWeights());
    assertFalse(n.verbose());
    assertEquals(NetworkConfig.defaults(), n);
  }

  @Test
  void modelAndTrainingDefaultsAreTheReferences() {
    // §9 + Wan extras: task t2v-14B, fp8 off, blocks_to_swap None, GC off, mixed_precision None;
    // max_train_steps 1600, epochs None, seed None, GA 1, guidance_scale 1.0.
    ModelConfig m = config.model();
    assertEquals(Path.of("/models/wan2.1_t2v_14B_bf16.safetensors"), m.dit());
    assertEquals(WanTask.T2V_14B, m.task());
    assertFalse(m.fp8Base());
    assertFalse(m.fp8Scaled());
    assertEquals(0, m.blocksToSwap());
    assertFalse(m.gradientCheckpointing());
    assertEquals(Optional.empty(), m.mixedPrecision());
    TrainingConfig t = config.training();
    assertEquals(1600, t.maxTrainSteps());
    assertEquals(OptionalInt.empty(), t.maxTrainEpochs());
    assertEquals(OptionalLong.empty(), t.seed());
    assertEquals(1, t.gradientAccumulationSteps());
    assertEquals(1.0, t.guidanceScale());
    assertEquals(Optional.empty(), t.resume());
  }

  @Test
  void saveLoggingAndMetadataDefaultsAreTheReferences() {
    // §5.3 / §6: save_precision None → fp32, every save_* None/False; log_tracker_name None → network_train.
    SaveConfig s = config.save();
    assertEquals(SavePrecision.FP32, s.savePrecision());
    assertEquals(OptionalInt.empty(), s.saveEveryNEpochs());
    assertEquals(OptionalInt.empty(), s.saveEveryNSteps());
    assertEquals(OptionalInt.empty(), s.saveLastNEpochs());
    assertFalse(s.saveState());
    assertFalse(s.saveStateOnTrainEnd());
    assertFalse(config.logging().enabled());
    assertEquals("network_train", config.logging().logTrackerName());
    assertFalse(config.metadata().noMetadata());
    assertEquals("1280x720", config.metadata().modelspecResolution());
  }

  @Test
  void tsumugiSectionsHaveTheirStatedDefaults() {
    assertEquals(4, config.runtime().dataLoaderReadAhead());
    assertEquals(java.time.Duration.ofSeconds(10), config.runtime().heartbeatInterval());
    assertFalse(config.postHocEma().enabled());
    assertEquals(0.95, config.postHocEma().beta()); // lora_post_hoc_ema.py --beta default
    assertTrue(config.postHocEma().beta2().isEmpty());
    assertTrue(config.postHocEma().sigmaRel().isEmpty());
  }
}
