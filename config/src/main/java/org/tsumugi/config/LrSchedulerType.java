package org.tsumugi.config;

/**
 * {@code lr_scheduler} (reference/training.md §4.4). {@code adafactor} is Adafactor's own schedule (transformers'
 * AdafactorSchedule), which the reference puts in place of any lr_scheduler when Adafactor sets its own step size
 * (relative_step); it is valid only then.
 */
public enum LrSchedulerType {
  CONSTANT,
  CONSTANT_WITH_WARMUP,
  LINEAR,
  COSINE,
  COSINE_WITH_RESTARTS,
  POLYNOMIAL,
  INVERSE_SQRT,
  COSINE_WITH_MIN_LR,
  WARMUP_STABLE_DECAY,
  PIECEWISE_CONSTANT,
  REX,
  ADAFACTOR;

  public String optionName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
