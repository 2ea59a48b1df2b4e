package org.tsumugi.engine.train;

import org.tsumugi.config.TimestepConfig;
import org.tsumugi.config.TimestepSampling;

/** Checks the timestep options that the sampling math cannot work with (reference/training.md §2). */
final class TimestepOptions {
  private TimestepOptions() {}

  static void validate(TimestepConfig config) {
    int min = config.minTimestep().orElse(0);
    int max = config.maxTimestep().orElse(1000);
    if (min < 0 || min > 999) {
      throw new TrainingOptionException("min_timestep", "must be in 0..999, got " + min);
    }
    if (max < 1 || max > 1000) {
      throw new TrainingOptionException("max_timestep", "must be in 1..1000, got " + max);
    }
    if (min >= max) {
      throw new TrainingOptionException(
          "min_timestep", "must be below max_timestep, got min_timestep " + min + " and max_timestep " + max);
    }
    requireFinite("sigmoid_scale", config.sigmoidScale());
    requireFinite("logit_mean", config.logitMean());
    requireFinite("mode_scale", config.modeScale());
    if (!(config.logitStd() >= 0) || Double.isInfinite(config.logitStd())) {
      throw new TrainingOptionException("logit_std", "must be a finite number ≥ 0, got " + config.logitStd());
    }
    if (config.timestepSampling() == TimestepSampling.SHIFT
        && !(config.discreteFlowShift() > 0 && Double.isFinite(config.discreteFlowShift()))) {
      throw new TrainingOptionException(
          "discrete_flow_shift", "must be a finite number > 0 with timestep_sampling shift, got "
              + config.discreteFlowShift());
    }
  }

  private static void requireFinite(String option, double value) {
    if (!Double.isFinite(value)) {
      throw new TrainingOptionException(option, "must be a finite number, got " + value);
    }
  }
}
