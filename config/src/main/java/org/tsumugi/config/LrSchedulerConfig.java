package org.tsumugi.config;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The learning-rate schedule options (reference/training.md §4.4).
 *
 * @param schedulerArgs {@code lr_scheduler_args} as parsed key/value literals (e.g. {@code step_rules}, {@code rex_alpha})
 */
public record LrSchedulerConfig(
    LrSchedulerType lrScheduler,
    StepCount lrWarmupSteps,
    StepCount lrDecaySteps,
    int lrSchedulerNumCycles,
    double lrSchedulerPower,
    OptionalInt lrSchedulerTimescale,
    OptionalDouble lrSchedulerMinLrRatio,
    Map<String, String> schedulerArgs) {

  public static LrSchedulerConfig defaults() {
    return new LrSchedulerConfig(LrSchedulerType.CONSTANT, StepCount.zero(), StepCount.zero(), 1, 1.0,
        OptionalInt.empty(), OptionalDouble.empty(), Map.of());
  }
}
