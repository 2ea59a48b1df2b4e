package org.tsumugi.engine.train;

import org.tsumugi.config.TimestepConfig;

/**
 * The {@code sigma} mode (reference/training.md §2.1): a density u from {@code weighting_scheme}, then a table index
 * idx = floor(u·(t_max − t_min) + t_min) into {@link SigmaGrid}, whose timestep is 1000 − idx. Float32 arithmetic as
 * in the reference.
 */
final class DiscreteTimesteps {
  private static final float PI = (float) Math.PI;

  private final TimestepConfig config;
  private final int minTimestep;
  private final int maxTimestep;

  DiscreteTimesteps(TimestepConfig config) {
    this.config = config;
    this.minTimestep = config.minTimestep().orElse(0);
    this.maxTimestep = config.maxTimestep().orElse(SigmaGrid.SIZE);
  }

  /** The density draw u of one sample: logit_normal σ(N(m, s)), mode's warped uniform, otherwise U[0, 1). */
  float density(RandomStream random) {
    return switch (config.weightingScheme()) {
      case LOGIT_NORMAL -> ContinuousTimesteps.sigmoid(
          (float) config.logitMean() + (float) config.logitStd() * (float) random.nextGaussian());
      case MODE -> mode(random.nextFloat());
      case NONE, COSMAP, SIGMA_SQRT -> random.nextFloat();
    };
  }

  /** u = 1 − u0 − mode_scale·(cos²(π·u0/2) − 1 + u0). */
  float mode(float u0) {
    float c = (float) StrictMath.cos(PI * u0 / 2f);
    return (1f - u0) - (float) config.modeScale() * ((c * c - 1f) + u0);
  }

  /**
   * The table index of density value u. FIX (reference crashes or wraps): u = 1 (possible in float32 for mode and
   * logit_normal) gives index 1000, past the table, and u &lt; 0 (mode_scale above ~1.75) a negative index that
   * Python wraps to the other end; the index is clamped to 0..999 instead.
   */
  int index(float u) {
    long idx = (long) (u * (float) (maxTimestep - minTimestep) + (float) minTimestep);
    return (int) Math.min(Math.max(idx, 0), SigmaGrid.SIZE - 1);
  }
}
