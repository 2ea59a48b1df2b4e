package org.tsumugi.config;

import java.util.OptionalDouble;

/**
 * Post-hoc EMA of saved checkpoints ({@code tsumugi.post_hoc_ema}; reference/lora-and-ema.md §2, the options of
 * lora_post_hoc_ema.py).
 *
 * @param beta decay of the first merge
 * @param beta2 decay of the last merge (linear from beta); empty = beta
 * @param sigmaRel power-function EMA width; when set it replaces beta and beta2
 */
public record PostHocEmaConfig(boolean enabled, double beta, OptionalDouble beta2, OptionalDouble sigmaRel) {

  /** Above this sigma_rel the reference finds no non-negative gamma and fails (§2: 1/√12). */
  public static final double MAX_SIGMA_REL = 1.0 / Math.sqrt(12.0);

  static PostHocEmaConfig read(OptionReader r) {
    double beta = r.numberBetween("post_hoc_ema.beta", 0.0, 1.0, true);
    OptionalDouble beta2 = r.optionalNumberBetween("post_hoc_ema.beta2", 0.0, 1.0, true);
    OptionalDouble sigmaRel = r.optionalNumber("post_hoc_ema.sigma_rel");
    sigmaRel.ifPresent(s -> r.require(s > 0 && s < MAX_SIGMA_REL, "post_hoc_ema.sigma_rel",
        "post_hoc_ema.sigma_rel must be above 0 and below 1/sqrt(12) = " + MAX_SIGMA_REL + ", got " + s));
    return new PostHocEmaConfig(r.flag("post_hoc_ema.enabled"), beta, beta2, sigmaRel);
  }
}
