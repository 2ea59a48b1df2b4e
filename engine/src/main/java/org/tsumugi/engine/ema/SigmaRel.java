package org.tsumugi.engine.ema;

/**
 * The power-function EMA's exponent γ for a relative width σ_rel (Karras et al., arXiv 2312.02696, Algorithm 2;
 * reference/lora-and-ema.md §2): the non-negative root of γ³ + 7γ² + (16 − t)γ + (12 − t) = 0 with t = σ_rel⁻².
 *
 * <p>The cubic is (γ+2)²(γ+3) − t(γ+1), so a positive root exists exactly when t &gt; 12, i.e. 0 &lt; σ_rel &lt;
 * 1/√12 ≈ 0.288675, and is then unique; the polynomial is convex there, so Newton's method started to the right of the
 * root descends onto it monotonically.
 */
public final class SigmaRel {
  /** The largest σ_rel (exclusive) that has a positive γ. */
  public static final double LIMIT = 1 / Math.sqrt(12);
  /** Below this γ the reference's eigenvalue solver returns a slightly negative root and refuses. */
  private static final double NOISE = 1e-12;

  private SigmaRel() {}

  /**
   * @throws IllegalArgumentException if σ_rel is not in (0, 1/√12), where the cubic has no positive root
   */
  public static double toGamma(double sigmaRel) {
    if (!(sigmaRel > 0 && sigmaRel < LIMIT)) {
      throw noRoot(sigmaRel);
    }
    double t = Math.pow(sigmaRel, -2);
    if (t <= 12) {
      throw noRoot(sigmaRel);
    }
    double gamma = 1;
    while (cubic(gamma, t) <= 0) {
      gamma *= 2;
    }
    for (int i = 0; i < 200; i++) {
      double next = gamma - cubic(gamma, t) / slope(gamma, t);
      if (!(next < gamma)) {
        break;
      }
      gamma = next;
    }
    if (gamma < NOISE) {
      throw noRoot(sigmaRel);
    }
    return gamma;
  }

  private static double cubic(double g, double t) {
    return ((g + 7) * g + (16 - t)) * g + (12 - t);
  }

  private static double slope(double g, double t) {
    return (3 * g + 14) * g + (16 - t);
  }

  private static IllegalArgumentException noRoot(double sigmaRel) {
    return new IllegalArgumentException("sigma_rel " + sigmaRel + " has no positive gamma: the power-function EMA"
        + " needs 0 < sigma_rel < 1/sqrt(12) = " + LIMIT);
  }
}
