package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.tsumugi.config.TimestepConfig;
import org.tsumugi.config.TimestepSampling;

/**
 * 100k sampled noise levels of each continuous mode against the exact CDF of the formula in reference/training.md
 * §2.2–§2.3 (Kolmogorov–Smirnov, 1% critical value 1.63/√n, fixed seed). The CDFs are derived here from the
 * formulas, independently of the sampler: t = g(z) with g increasing gives F(t) = Φ(g⁻¹(t)).
 */
class TimestepDistributionTest {
  private static final int STEPS = 100;
  private static final int BATCH = 1000;
  private static final int N = STEPS * BATCH;

  @Test
  void uniformIsUniform() {
    assertMatches(TimestepConfigBuilder.of(TimestepSampling.UNIFORM).build(), 64, 64, t -> t);
  }

  @Test
  void sigmoidIsLogitNormalWithScale() {
    assertMatches(TimestepConfigBuilder.of(TimestepSampling.SIGMOID).build(), 64, 64, sigmoidCdf(1.0));
    assertMatches(TimestepConfigBuilder.of(TimestepSampling.SIGMOID).sigmoidScale(2.5).build(), 64, 64,
        sigmoidCdf(2.5));
  }

  @Test
  void shiftWarpsTheSigmoidDistribution() {
    assertMatches(TimestepConfigBuilder.of(TimestepSampling.SHIFT).shift(3.0).build(), 64, 64,
        shiftCdf(3.0, 1.0));
    assertMatches(TimestepConfigBuilder.of(TimestepSampling.SHIFT).shift(5.0).sigmoidScale(1.5).build(), 64, 64,
        shiftCdf(5.0, 1.5));
  }

  @Test
  void resolutionShiftsReadTheLatentSize() {
    // μ on the line through (x1, y1), (x2, y2), evaluated at the token count; shift = e^μ
    double flux = Math.exp(0.5 + (1.15 - 0.5) * (32 * 32 - 256) / (4096.0 - 256));
    assertMatches(TimestepConfigBuilder.of(TimestepSampling.FLUX_SHIFT).build(), 64, 64, shiftCdf(flux, 1.0));
    double flux2 = Math.exp(0.5 + (1.15 - 0.5) * (40 * 24 - 256) / (4096.0 - 256));
    assertMatches(TimestepConfigBuilder.of(TimestepSampling.FLUX2_SHIFT).build(), 40, 24, shiftCdf(flux2, 1.0));
    double qwen = Math.exp(0.5 + (0.9 - 0.5) * (64 * 48 - 256) / (8192.0 - 256));
    assertMatches(TimestepConfigBuilder.of(TimestepSampling.QWEN_SHIFT).build(), 128, 96, shiftCdf(qwen, 1.0));
    double krea2 = Math.exp(0.5 + (1.15 - 0.5) * (32 * 40 - 256) / (6400.0 - 256));
    assertMatches(TimestepConfigBuilder.of(TimestepSampling.KREA2_SHIFT).sigmoidScale(1.3).build(), 64, 81,
        shiftCdf(krea2, 1.3));
  }

  @Test
  void ideogram4IsLogitNormalAroundTheResolutionMean() {
    double mean = 0.5 * Math.log(64.0 * 16 * 48 * 16 / (512 * 512));
    assertMatches(TimestepConfigBuilder.of(TimestepSampling.IDEOGRAM4_SHIFT).build(), 64, 48,
        t -> StandardNormal.cdf((logit(t) - mean) / 1.5));
  }

  @Test
  void logSnrIsNormalInLogSnr() {
    assertMatches(TimestepConfigBuilder.of(TimestepSampling.LOGSNR).logit(-6, 2).build(), 64, 64,
        logSnrCdf(-6, 2));
  }

  @Test
  void qinglongModesAreTheirMixtures() {
    double flux = Math.exp(0.5 + (1.15 - 0.5) * (32 * 32 - 256) / (4096.0 - 256));
    DoubleUnaryOperator mid = shiftCdf(flux, 1.0);
    DoubleUnaryOperator logsnr = logSnrCdf(-3, 1.5);
    DoubleUnaryOperator logsnr2 = logSnrCdf(5.36, 1.0);
    assertMatches(TimestepConfigBuilder.of(TimestepSampling.QINGLONG_FLUX).logit(-3, 1.5).build(), 64, 64,
        t -> 0.79 * mid.applyAsDouble(t) + 0.11 * logsnr.applyAsDouble(t) + 0.10 * logsnr2.applyAsDouble(t));
    double qwen = Math.exp(0.5 + (0.9 - 0.5) * (32 * 32 - 256) / (8192.0 - 256));
    DoubleUnaryOperator qwenMid = shiftCdf(qwen, 1.0);
    assertMatches(TimestepConfigBuilder.of(TimestepSampling.QINGLONG_QWEN).logit(-3, 1.5).build(), 64, 64,
        t -> 0.95 * qwenMid.applyAsDouble(t) + 0.05 * logsnr2.applyAsDouble(t));
  }

  @Test
  void rangeWithoutPreserveIsAnAffineSqueeze() {
    DoubleUnaryOperator sigmoid = sigmoidCdf(1.0);
    assertMatches(TimestepConfigBuilder.of(TimestepSampling.SIGMOID).range(200, 800).build(), 64, 64,
        t -> sigmoid.applyAsDouble((t - 0.2) / 0.6));
  }

  @Test
  void preserveDistributionShapeTruncates() {
    DoubleUnaryOperator shift = shiftCdf(3.0, 1.0);
    DoubleUnaryOperator truncated = t -> (shift.applyAsDouble(t) - shift.applyAsDouble(0.875))
        / (1 - shift.applyAsDouble(0.875));
    assertMatches(TimestepConfigBuilder.of(TimestepSampling.SHIFT).shift(3.0).range(875, 1000).preserveShape()
        .build(), 64, 64, truncated);
    assertMatches(TimestepConfigBuilder.of(TimestepSampling.SHIFT).shift(3.0).range(875, 1000).preserveShape()
        .buckets(6).build(), 64, 64, truncated);
  }

  @Test
  void datasetBucketedUniformsKeepTheModesDistribution() {
    TimestepSampler sampler = new TimestepSampler(
        TimestepConfigBuilder.of(TimestepSampling.SHIFT).shift(3.0).buckets(7).build(), SigmaDtype.BFLOAT16);
    int[] lengths = new int[STEPS];
    java.util.Arrays.fill(lengths, BATCH);
    List<double[]> pool = TimestepBuckets.epochPool(lengths, BATCH, 7,
        new StepRandom(5).stream(RandomPurpose.TIMESTEP_BUCKETS, 1, 0));
    double[] t = new double[N];
    for (int s = 0; s < STEPS; s++) {
      float[] sigmas = sampler.sample(BATCH, s, 64, 64, new StepRandom(5), Optional.of(pool.get(s)), 0).sigmas();
      for (int i = 0; i < BATCH; i++) {
        t[s * BATCH + i] = sigmas[i];
      }
    }
    double d = KolmogorovSmirnov.statistic(t, shiftCdf(3.0, 1.0));
    assertTrue(d < KolmogorovSmirnov.bound(N), "KS statistic " + d);
  }

  private static void assertMatches(TimestepConfig config, int latentH, int latentW, DoubleUnaryOperator cdf) {
    TimestepSampler sampler = new TimestepSampler(config, SigmaDtype.BFLOAT16);
    StepRandom random = new StepRandom(42);
    double[] t = new double[N];
    long pool = 0;
    for (int s = 0; s < STEPS; s++) {
      TimestepSampler.Sample sample = sampler.sample(BATCH, s, latentH, latentW, random, Optional.empty(), pool);
      pool = sample.poolPosition();
      for (int i = 0; i < BATCH; i++) {
        t[s * BATCH + i] = sample.sigmas()[i];
      }
    }
    double d = KolmogorovSmirnov.statistic(t, cdf);
    assertTrue(d < KolmogorovSmirnov.bound(N), config.timestepSampling() + ": KS statistic " + d);
  }

  static double logit(double t) {
    return Math.log(t / (1 - t));
  }

  /** t = σ(s·z): F(t) = Φ(logit(t)/s). */
  static DoubleUnaryOperator sigmoidCdf(double scale) {
    return t -> StandardNormal.cdf(logit(t) / scale);
  }

  /** t = S·t'/(1 + (S − 1)·t') with t' = σ(s·z): t' = t/(S − (S − 1)·t). */
  static DoubleUnaryOperator shiftCdf(double shift, double scale) {
    return t -> StandardNormal.cdf(logit(t / (shift - (shift - 1) * t)) / scale);
  }

  /** t = σ(−λ/2), λ ~ N(mean, std): t ≤ x ⇔ λ ≥ −2·logit(x). */
  static DoubleUnaryOperator logSnrCdf(double mean, double std) {
    return t -> 1 - StandardNormal.cdf((-2 * logit(t) - mean) / std);
  }
}
