package org.tsumugi.config;

/**
 * {@code loss_type}: the element-wise loss of prediction against target. The reference trainer (musubi-tuner) has only
 * l2, its weighted MSE (reference/training.md §1.3); l1, huber and smooth_l1 are sd-scripts' options (§3), an
 * extension in Tsumugi.
 */
public enum LossType {
  L1,
  L2,
  HUBER,
  SMOOTH_L1;

  /** The spelling users write, e.g. {@code smooth_l1}. */
  public String optionName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether the loss reads the Huber threshold c ({@code huber_schedule}, {@code huber_c}, {@code huber_scale}). */
  public boolean usesHuberC() {
    return this == HUBER || this == SMOOTH_L1;
  }
}
