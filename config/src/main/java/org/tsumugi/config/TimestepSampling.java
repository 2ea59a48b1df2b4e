package org.tsumugi.config;

/** {@code timestep_sampling}: how the noise level t of each sample is drawn (reference/training.md §2). */
public enum TimestepSampling {
  SIGMA,
  UNIFORM,
  SIGMOID,
  SHIFT,
  FLUX_SHIFT,
  FLUX2_SHIFT,
  QWEN_SHIFT,
  KREA2_SHIFT,
  IDEOGRAM4_SHIFT,
  LOGSNR,
  QINGLONG_FLUX,
  QINGLONG_QWEN;

  /** The spelling users write, e.g. {@code flux_shift}. */
  public String optionName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
