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

  static LrSchedulerConfig read(OptionReader r) {
    LrSchedulerType type = r.choice("lr_scheduler", LrSchedulerType.values(), LrSchedulerType::optionName, false);
    StepCount warmup = stepCount(r, "lr_warmup_steps");
    StepCount decay = stepCount(r, "lr_decay_steps");
    r.require(type != LrSchedulerType.CONSTANT || warmup.equals(StepCount.zero()), "lr_warmup_steps",
        "lr_scheduler constant takes no warmup (the reference refuses it): set lr_warmup_steps = 0 or use"
            + " constant_with_warmup");
    OptionalDouble minLrRatio = r.optionalNumberBetween("lr_scheduler_min_lr_ratio", 0.0, 1.0, true);
    r.require(type != LrSchedulerType.COSINE_WITH_MIN_LR || minLrRatio.isPresent(), "lr_scheduler_min_lr_ratio",
        "lr_scheduler cosine_with_min_lr needs lr_scheduler_min_lr_ratio (from 0 to 1)");
    Map<String, String> args = r.attempt(() -> SchedulerArgs.parse(r.strings("lr_scheduler_args"), type,
        r.at("lr_scheduler_args"))).orElse(Map.of());
    return new LrSchedulerConfig(type, warmup, decay, r.intAtLeast("lr_scheduler_num_cycles", 1),
        r.numberAbove("lr_scheduler_power", 0.0), r.optionalIntBetween("lr_scheduler_timescale", 1,
        Integer.MAX_VALUE), minLrRatio, args);
  }

  private static StepCount stepCount(OptionReader r, String key) {
    com.typesafe.config.ConfigValue raw = r.raw(key);
    if (raw == null) {
      return StepCount.zero();
    }
    java.util.Optional<String> text = OptionValues.text(raw);
    if (text.isEmpty()) {
      r.report(r.at(key), key + " must be whole steps, a ratio or \"x%\", got " + OptionValues.describe(raw));
      return StepCount.zero();
    }
    return r.attempt(() -> StepCount.parse(text.get(), r.at(key))).orElse(StepCount.zero());
  }

  public static LrSchedulerConfig defaults() {
    return new LrSchedulerConfig(LrSchedulerType.CONSTANT, StepCount.zero(), StepCount.zero(), 1, 1.0,
        OptionalInt.empty(), OptionalDouble.empty(), Map.of());
  }
}
