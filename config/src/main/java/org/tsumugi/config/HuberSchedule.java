package org.tsumugi.config;

/**
 * {@code huber_schedule}: how the Huber threshold c of huber and smooth_l1 follows the noise level (sd-scripts' option,
 * reference/training.md §3).
 */
public enum HuberSchedule {
  CONSTANT,
  EXPONENTIAL,
  SNR;

  public String optionName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
