package org.tsumugi.config;

import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Where and when checkpoints and states are written, and which are pruned (reference/training.md §5.3).
 *
 * @param savePrecision {@code save_precision}; the reference's None is fp32
 * @param saveLastNEpochsState {@code save_last_n_epochs_state}; empty = use saveLastNEpochs
 * @param saveLastNStepsState {@code save_last_n_steps_state}; empty = use saveLastNSteps
 */
public record SaveConfig(
    Path outputDir,
    String outputName,
    SavePrecision savePrecision,
    OptionalInt saveEveryNEpochs,
    OptionalInt saveEveryNSteps,
    OptionalInt saveLastNEpochs,
    OptionalInt saveLastNSteps,
    OptionalInt saveLastNEpochsState,
    OptionalInt saveLastNStepsState,
    boolean saveState,
    boolean saveStateOnTrainEnd) {

  static SaveConfig read(OptionReader r) {
    Path outputDir = r.requiredPath("output_dir", "the directory for checkpoints and states");
    String outputName = r.requiredText("output_name", "the base name of the checkpoint files");
    SavePrecision precision = r.optionalChoice("save_precision", SavePrecision.values(), SavePrecision::optionName,
        false).orElse(SavePrecision.FP32);
    OptionalInt everyEpochs = positive(r, "save_every_n_epochs");
    OptionalInt everySteps = positive(r, "save_every_n_steps");
    OptionalInt lastEpochs = positive(r, "save_last_n_epochs");
    OptionalInt lastSteps = positive(r, "save_last_n_steps");
    OptionalInt lastEpochsState = positive(r, "save_last_n_epochs_state");
    OptionalInt lastStepsState = positive(r, "save_last_n_steps_state");
    boolean saveState = r.flag("save_state");
    needs(r, lastEpochs, "save_last_n_epochs", everyEpochs.isPresent(), "save_every_n_epochs");
    needs(r, lastSteps, "save_last_n_steps", everySteps.isPresent(), "save_every_n_steps");
    needs(r, lastEpochsState, "save_last_n_epochs_state", everyEpochs.isPresent() && saveState,
        "save_every_n_epochs and save_state = true");
    needs(r, lastStepsState, "save_last_n_steps_state", everySteps.isPresent() && saveState,
        "save_every_n_steps and save_state = true");
    return new SaveConfig(outputDir, outputName, precision, everyEpochs, everySteps, lastEpochs, lastSteps,
        lastEpochsState, lastStepsState, saveState, r.flag("save_state_on_train_end"));
  }

  private static OptionalInt positive(OptionReader r, String key) {
    return r.optionalIntBetween(key, 1, Integer.MAX_VALUE);
  }

  /** Pruning options act only on the saves they prune: without those saves they are a contradiction. */
  private static void needs(OptionReader r, OptionalInt value, String key, boolean present, String what) {
    r.require(value.isEmpty() || present, key, key + " prunes saved files but nothing is saved that way: it needs "
        + what);
  }
}
