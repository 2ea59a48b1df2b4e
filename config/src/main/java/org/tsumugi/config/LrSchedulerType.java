package org.tsumugi.config;

/** {@code lr_scheduler} (reference/training.md §4.4). */
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
  REX;

  public String optionName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
