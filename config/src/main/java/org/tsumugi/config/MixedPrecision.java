package org.tsumugi.config;

/** {@code mixed_precision} (reference/training.md §8). */
public enum MixedPrecision {
  NO,
  FP16,
  BF16;

  public String optionName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
