package org.tsumugi.config;

/**
 * The loss options: sd-scripts' {@code loss_type}, {@code huber_schedule}, {@code huber_c} and {@code huber_scale}
 * (reference/training.md §3), an extension, since the reference trainer (musubi-tuner) has only l2. The defaults are
 * sd-scripts', and l2 is the reference's loss.
 *
 * @param huberC {@code huber_c} in (0, 1]: the threshold of the constant schedule and the threshold at pure noise of
 *     exponential and snr (which reach huber_scale and 1 at the clean end)
 * @param huberScale {@code huber_scale} &gt; 0: multiplies c in the constant and exponential schedules (snr ignores it)
 */
public record LossConfig(LossType lossType, HuberSchedule huberSchedule, double huberC, double huberScale) {

  private static final String HUBER_OPTIONS = "huber and smooth_l1";

  /** sd-scripts' defaults: l2 (the reference's loss), snr, 0.1, 1.0. */
  public static LossConfig defaults() {
    return new LossConfig(LossType.L2, HuberSchedule.SNR, 0.1, 1.0);
  }

  static LossConfig read(OptionReader r) {
    LossType type = r.choice("loss_type", LossType.values(), LossType::optionName, false);
    HuberSchedule schedule = r.choice("huber_schedule", HuberSchedule.values(), HuberSchedule::optionName, false);
    double c = r.number("huber_c");
    r.require(c > 0 && c <= 1, "huber_c", "huber_c must be in (0, 1], got " + c);
    double scale = r.numberAbove("huber_scale", 0.0);
    r.require(Double.isFinite(scale), "huber_scale", "huber_scale must be a finite number, got " + scale);
    for (String key : new String[] {"huber_schedule", "huber_c", "huber_scale"}) {
      // sd-scripts reads them only for huber and smooth_l1 and silently ignores them otherwise.
      r.require(type.usesHuberC() || !r.given(key), key, key + " only applies to loss_type " + HUBER_OPTIONS
          + ", but loss_type is " + type.optionName() + "; remove " + key + " or choose loss_type huber or smooth_l1");
    }
    r.require(!(type.usesHuberC() && schedule == HuberSchedule.SNR && r.given("huber_scale")), "huber_scale",
        "huber_scale has no effect with huber_schedule snr (as in sd-scripts); remove it or choose huber_schedule"
            + " constant or exponential");
    return new LossConfig(type, schedule, c, scale);
  }
}
