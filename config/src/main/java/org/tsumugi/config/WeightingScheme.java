package org.tsumugi.config;

/** {@code weighting_scheme}: loss weights (cosmap, sigma_sqrt) or sigma-mode sampling density (logit_normal, mode). */
public enum WeightingScheme {
  NONE,
  LOGIT_NORMAL,
  MODE,
  COSMAP,
  SIGMA_SQRT;

  public String optionName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
