package org.tsumugi.engine.train;

/**
 * The error function, its inverse and the standard normal CDF Φ and quantile Φ⁻¹ in double precision (Java has none
 * of them). Accuracy is close to double rounding (relative error around 1e-15), far below what the float32 timestep
 * arithmetic of the reference can see.
 *
 * <ul>
 *   <li>erf for |x| &lt; 2 by the series erf x = (2/√π)·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)), whose terms are all
 *       positive (no cancellation);</li>
 *   <li>erfc for x ≥ 1 by its continued fraction (modified Lentz, at most ~200 terms), so the tails keep full
 *       relative accuracy; erf for |x| ≥ 2 as 1 − erfc;</li>
 *   <li>Φ⁻¹ from Acklam's rational approximation refined by Halley steps on Φ; erfinv from Φ⁻¹ refined by Halley
 *       steps on erf (on erfc near ±1).</li>
 * </ul>
 */
public final class StandardNormal {
  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
  private static final double ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);
  private static final double SQRT2 = Math.sqrt(2);
  private static final double SQRT_2PI = Math.sqrt(2 * Math.PI);
  private static final double SERIES_LIMIT = 2.0;
  /** From here erfc uses the continued fraction (below, 1 − erf loses less than one digit). */
  private static final double FRACTION_START = 1.0;
  /** Beyond this erfc(x) is below the smallest double (and x may be infinite). */
  private static final double UNDERFLOW = 27.3;

  private StandardNormal() {}

  public static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double a = Math.abs(x);
    if (a < SERIES_LIMIT) {
      return erfSeries(x);
    }
    double e = 1 - erfcContinuedFraction(a);
    return x < 0 ? -e : e;
  }

  public static double erfc(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    if (x >= FRACTION_START) {
      return erfcContinuedFraction(x);
    }
    if (x <= -FRACTION_START) {
      return 2 - erfcContinuedFraction(-x);
    }
    return 1 - erfSeries(x);
  }

  /** Φ(z) = P(Z ≤ z). */
  public static double cdf(double z) {
    return 0.5 * erfc(-z / SQRT2);
  }

  /** Φ⁻¹(p) for p in (0, 1); ±∞ at 0 and 1. */
  public static double quantile(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
    }
    if (p == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (p == 1) {
      return Double.POSITIVE_INFINITY;
    }
    double x = AcklamQuantile.estimate(p);
    for (int i = 0; i < 2; i++) {
      // Halley on Φ(x) − p; the residual is taken on the side where it has full relative accuracy.
      double residual = p < 0.5 ? cdf(x) - p : (1 - p) - cdf(-x);
      double r = residual * SQRT_2PI * StrictMath.exp(0.5 * x * x);
      x = x - r / (1 + 0.5 * x * r);
    }
    return x;
  }

  /** erf⁻¹(y) for y in (−1, 1); ±∞ at ±1. */
  public static double erfinv(double y) {
    if (!(y >= -1 && y <= 1)) {
      throw new IllegalArgumentException("erfinv argument must be in [-1, 1], got " + y);
    }
    if (y == 0) {
      return y;
    }
    double a = Math.abs(y);
    if (a == 1) {
      return y * Double.POSITIVE_INFINITY;
    }
    double x = quantile(0.5 + 0.5 * a) / SQRT2;
    for (int i = 0; i < 2; i++) {
      double residual = a < 0.5 ? erf(x) - a : (1 - a) - erfc(x);
      double r = residual / (TWO_OVER_SQRT_PI * StrictMath.exp(-x * x));
      x = x - r / (1 + x * r);
    }
    return y < 0 ? -x : x;
  }

  private static double erfSeries(double x) {
    double x2 = x * x;
    double term = x;
    double sum = x;
    for (int n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= 2 * x2 / (2 * n + 1);
      sum += term;
    }
    return TWO_OVER_SQRT_PI * StrictMath.exp(-x2) * sum;
  }

  /** erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) for x ≥ 1, by modified Lentz. */
  private static double erfcContinuedFraction(double x) {
    if (x > UNDERFLOW) {
      return 0;
    }
    double tiny = 1e-300;
    double f = x;
    double c = x;
    double d = 0;
    for (int n = 1; n < 500; n++) {
      double an = 0.5 * n;
      d = x + an * d;
      d = d == 0 ? tiny : d;
      c = x + an / c;
      c = c == 0 ? tiny : c;
      d = 1 / d;
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return ONE_OVER_SQRT_PI * StrictMath.exp(-x * x) / f;
  }
}
