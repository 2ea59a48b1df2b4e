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

  /**
   * Reads the reference's int_or_float text (reference/training.md §4.4): "x%" is the ratio x/100; a number that is
   * at least 1 and whole is a step count; any other number is a ratio ("0.1" = 10 %). Tsumugi refuses negative values
   * and ratios above 1 (the reference reads "1.5" as 150 % of the run).
   *
   * @throws ConfigError naming {@code where} when the text is not such a number
   */
  static StepCount parse(String text, KeyLocation where) {
    String trimmed = text.trim();
    boolean percent = trimmed.endsWith("%");
    String number = percent ? trimmed.substring(0, trimmed.length() - 1).trim() : trimmed;
    java.util.Optional<Double> value = OptionValues.number(com.typesafe.config.ConfigValueFactory.fromAnyRef(number));
    String allowed = ": give whole steps (100), a ratio of the run below 1 (0.1) or a percentage (\"10%\")";
    if (value.isEmpty()) {
      throw where.error(where.key() + " [" + text + "] is not a number" + allowed);
    }
    double v = percent ? value.get() / 100.0 : value.get();
    if (v < 0) {
      throw where.error(where.key() + " [" + text + "] is negative" + allowed);
    }
    if (v == 0) {
      return zero();
    }
    if (!percent && v >= 1 && v == Math.rint(v)) {
      return new Steps((long) v);
    }
    if (v > 1) {
      throw where.error(where.key() + " [" + text + "] reads as a ratio of " + (v * 100) + " % of the run" + allowed);
    }
    return new Ratio(v);
  }
}
