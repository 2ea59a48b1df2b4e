package org.tsumugi.config;

/**
 * A step count given either absolutely or as a share of the run ({@code lr_warmup_steps}, {@code lr_decay_steps}):
 * the reference's int_or_float — "x%" and non-integral numbers are ratios, integral numbers ≥ 1 are counts.
 */
public sealed interface StepCount {
  record Steps(long steps) implements StepCount {}

  record Ratio(double ratio) implements StepCount {}

  /** Resolves against the planned number of optimizer steps; a ratio truncates as the reference's int(). */
  default long resolve(long totalSteps) {
    if (this instanceof Ratio r) {
      return (long) (r.ratio() * totalSteps);
    }
    return ((Steps) this).steps();
  }

  static StepCount zero() {
    return new Steps(0);
  }
}
