package org.tsumugi.engine.ema;

import java.util.OptionalDouble;

/**
 * The reference's {@code lora_post_hoc_ema.py} options: {@code --beta} (default 0.95), {@code --beta2} (default: beta),
 * {@code --sigma_rel} (overrides both), {@code --no_sort}.
 */
public record PostHocEmaSettings(double beta, OptionalDouble beta2, OptionalDouble sigmaRel, boolean noSort) {
  public static final double DEFAULT_BETA = 0.95;

  public static PostHocEmaSettings defaults() {
    return new PostHocEmaSettings(DEFAULT_BETA, OptionalDouble.empty(), OptionalDouble.empty(), false);
  }

  /**
   * The β schedule for a merge of {@code checkpoints} files.
   *
   * @throws IllegalArgumentException if sigma_rel has no positive γ
   */
  public EmaSchedule schedule(int checkpoints) {
    if (sigmaRel.isPresent()) {
      return EmaSchedule.sigmaRel(sigmaRel.getAsDouble());
    }
    return EmaSchedule.interpolated(beta, beta2.orElse(beta), checkpoints);
  }
}
