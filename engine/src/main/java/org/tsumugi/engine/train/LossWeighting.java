package org.tsumugi.engine.train;

import java.util.Arrays;
import org.tsumugi.config.WeightingScheme;

/**
 * Per-sample loss weights of {@code weighting_scheme} (reference/training.md §1.3): {@code sigma_sqrt} w = σ⁻²,
 * {@code cosmap} w = 2/(π·(1 − 2σ + 2σ²)), every other scheme w = 1 (logit_normal and mode only shape sigma-mode
 * sampling).
 *
 * <p>σ is looked up as the reference does: the grid timestep equal to the model timestep, or else the nearest one
 * (ties to the larger timestep), i.e. σ ≈ min(round(1000t + 1), 1000)/1000 for continuous modes, whose model
 * timesteps are never on the grid. KEPT σ and every operation of the weight are rounded to the DiT dtype as the
 * reference's tensors are ({@link SigmaDtype}; for bfloat16 a weight is exact to bfloat16 precision, ~0.4%); each
 * torch operation is emulated as one rounding, {@code σ**-2} as 1/(σ·σ) with the product rounded first, and
 * {@code 2/x} as reciprocal then ×2, following our reading of torch's CPU kernels (no golden vector covers it).
 * CHANGED the reference warns on every step when the lookup is approximate; {@link Weights#approximateLookup}
 * lets the caller warn once.
 */
public final class LossWeighting {
  private static final float PI = (float) Math.PI;

  private final WeightingScheme scheme;
  private final SigmaDtype dtype;

  /**
   * Weights of one batch.
   *
   * @param values per-sample weight w (1 for schemes without weighting)
   * @param approximateLookup true if some model timestep was not on the grid and its nearest grid σ was used
   */
  public record Weights(double[] values, boolean approximateLookup) {}

  public LossWeighting(WeightingScheme scheme, SigmaDtype dtype) {
    this.scheme = scheme;
    this.dtype = dtype;
  }

  /** Whether the loss is weighted at all (sigma_sqrt or cosmap); when false every weight is 1. */
  public boolean weighted() {
    return scheme == WeightingScheme.SIGMA_SQRT || scheme == WeightingScheme.COSMAP;
  }

  public Weights weights(float[] modelTimesteps) {
    double[] w = new double[modelTimesteps.length];
    if (!weighted()) {
      Arrays.fill(w, 1.0);
      return new Weights(w, false);
    }
    boolean approximate = false;
    for (float t : modelTimesteps) {
      approximate |= SigmaGrid.exactIndex(t) < 0;
    }
    for (int i = 0; i < w.length; i++) {
      float sigma = dtype.round(SigmaGrid.sigma(SigmaGrid.nearestIndex(modelTimesteps[i])));
      w[i] = scheme == WeightingScheme.SIGMA_SQRT ? inverseSquare(sigma) : cosmap(sigma);
    }
    return new Weights(w, approximate);
  }

  private float inverseSquare(float sigma) {
    float square = dtype.round(sigma * sigma);
    return dtype.round((float) (1.0 / square));
  }

  private float cosmap(float sigma) {
    float linear = dtype.round(1f - dtype.round(2f * sigma));
    float quadratic = dtype.round(2f * dtype.round(sigma * sigma));
    float bottom = dtype.round(linear + quadratic);
    float reciprocal = dtype.round(1f / dtype.round(PI * bottom));
    return dtype.round(reciprocal * 2f);
  }
}
