package org.tsumugi.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Length and pace of the training loop (reference/training.md §5).
 *
 * @param maxTrainEpochs {@code max_train_epochs}; when set it overrides {@code max_train_steps} (§5.1)
 * @param seed {@code seed}; empty = drawn at random, as the reference
 * @param guidanceScale {@code guidance_scale}: HunyuanVideo only, Wan ignores it; kept for ss_guidance_scale
 * @param resume {@code resume}: a saved state to start from
 */
public record TrainingConfig(
    int maxTrainSteps,
    OptionalInt maxTrainEpochs,
    OptionalLong seed,
    int gradientAccumulationSteps,
    double guidanceScale,
    Optional<Path> resume) {

  /** numpy's seed range, which the reference's set_seed passes the seed to. */
  static final long MAX_SEED = (1L << 32) - 1;

  static TrainingConfig read(OptionReader r) {
    int steps = r.intAtLeast("max_train_steps", 1);
    OptionalInt epochs = r.optionalIntBetween("max_train_epochs", 1, Integer.MAX_VALUE);
    OptionalLong seed = r.optionalLong("seed");
    seed.ifPresent(value -> r.require(value >= 0 && value <= MAX_SEED, "seed",
        "seed must be from 0 to " + MAX_SEED + ", got " + value));
    return new TrainingConfig(steps, epochs, seed, r.intAtLeast("gradient_accumulation_steps", 1),
        r.number("guidance_scale"), r.optionalPath("resume"));
  }
}
