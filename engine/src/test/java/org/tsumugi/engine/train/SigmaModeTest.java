package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.tsumugi.config.TimestepConfig;
import org.tsumugi.config.TimestepSampling;
import org.tsumugi.config.WeightingScheme;

/** {@code timestep_sampling sigma} (reference/training.md §2.1): table indices, densities, the range quirk. */
class SigmaModeTest {
  private static final int STEPS = 100;
  private static final int BATCH = 1000;
  private static final int N = STEPS * BATCH;

  @Test
  void indexIsTheFlooredScaledDensity() {
    DiscreteTimesteps full = new DiscreteTimesteps(sigma().build());
    assertEquals(0, full.index(0f));
    assertEquals(500, full.index(0.5f));
    assertEquals(999, full.index(0.9999f));
    // timestep of index k is 1000 - k
    assertEquals(500f, SigmaGrid.timestep(500), 1.5e-4);
    assertEquals(1f, SigmaGrid.timestep(999), 1.5e-4);
    assertEquals(1000f, SigmaGrid.timestep(0), 0f);
  }

  @Test
  void rangeBoundsTheIndexSoHighMinimumMeansLowTimesteps() {
    // the reference's quirk: min 500 max 1000 selects indices 500..999, i.e. timesteps 500..1
    DiscreteTimesteps upper = new DiscreteTimesteps(sigma().range(500, 1000).build());
    assertEquals(500, upper.index(0f));
    assertEquals(999, upper.index(0.999f));
    TimestepSampler sampler = new TimestepSampler(sigma().range(500, 1000).build(), SigmaDtype.FLOAT32);
    TimestepSampler.Sample sample = sampler.sample(5000, 3, 64, 64, new StepRandom(9), Optional.empty(), 0);
    for (float t : sample.modelTimesteps()) {
      assertTrue(t >= 0.9999f && t <= 500.0001f, "timestep " + t);
    }
  }

  @Test
  void densityOfOneOrBelowZeroIsClampedToTheTable() {
    DiscreteTimesteps full = new DiscreteTimesteps(sigma().build());
    assertEquals(999, full.index(1.0f));
    assertEquals(0, full.index(-0.01f));
  }

  @Test
  void modeDensityFollowsItsFormula() {
    DiscreteTimesteps mode = new DiscreteTimesteps(sigma().weighting(WeightingScheme.MODE).modeScale(1.29).build());
    for (float u0 : new float[] {0f, 0.1f, 0.25f, 0.5f, 0.8f, 0.999f}) {
      double c = Math.cos(Math.PI * u0 / 2);
      double expected = 1 - u0 - 1.29 * (c * c - 1 + u0);
      assertEquals(expected, mode.mode(u0), 1e-6, "u0=" + u0);
    }
  }

  @Test
  void uniformDensityGivesEveryTimestepEqually() {
    assertDiscreteDistribution(sigma().build(), k -> (k + 1) / 1000.0);
  }

  @Test
  void logitNormalDensityFollowsItsCdf() {
    assertDiscreteDistribution(sigma().weighting(WeightingScheme.LOGIT_NORMAL).logit(0.5, 1.2).build(),
        k -> StandardNormal.cdf((TimestepDistributionTest.logit((k + 1) / 1000.0) - 0.5) / 1.2));
  }

  @Test
  void modeDensityFollowsItsCdf() {
    // u = f(u0) is decreasing for mode_scale 1.29, so P(u < x) = 1 - f⁻¹(x)
    assertDiscreteDistribution(sigma().weighting(WeightingScheme.MODE).modeScale(1.29).build(),
        k -> 1 - invertMode((k + 1) / 1000.0, 1.29));
  }

  @Test
  void noiseLevelIsTheTableSigmaInTheDitDtype() {
    TimestepSampler sampler = new TimestepSampler(sigma().build(), SigmaDtype.BFLOAT16);
    TimestepSampler.Sample sample = sampler.sample(2000, 11, 64, 64, new StepRandom(3), Optional.empty(), 0);
    for (int i = 0; i < 2000; i++) {
      double k = 1000 - Math.rint(sample.modelTimesteps()[i]);
      assertEquals(nearestBfloat16((float) (1 - k / 1000)), sample.sigmas()[i], 0f);
    }
  }

  @Test
  void ignoresBucketedUniforms() {
    TimestepSampler sampler = new TimestepSampler(sigma().buckets(4).build(), SigmaDtype.BFLOAT16);
    double[] u = {0.1, 0.2, 0.3};
    TimestepSampler.Sample with = sampler.sample(3, 4, 64, 64, new StepRandom(3), Optional.of(u), 0);
    TimestepSampler.Sample without = sampler.sample(3, 4, 64, 64, new StepRandom(3), Optional.empty(), 0);
    assertEquals(java.util.Arrays.toString(without.modelTimesteps()), java.util.Arrays.toString(with.modelTimesteps()));
  }

  private static void assertDiscreteDistribution(TimestepConfig config, IntToDoubleFunction cdfOfIndex) {
    TimestepSampler sampler = new TimestepSampler(config, SigmaDtype.FLOAT32);
    long[] counts = new long[1000];
    for (int s = 0; s < STEPS; s++) {
      for (float t : sampler.sample(BATCH, s, 64, 64, new StepRandom(77), Optional.empty(), 0).modelTimesteps()) {
        counts[1000 - Math.round(t)]++;
      }
    }
    double worst = 0;
    long cumulative = 0;
    for (int k = 0; k < 1000; k++) {
      cumulative += counts[k];
      worst = Math.max(worst, Math.abs((double) cumulative / N - cdfOfIndex.applyAsDouble(k)));
    }
    assertTrue(worst < KolmogorovSmirnov.bound(N), "largest CDF deviation over the table: " + worst);
  }

  private static double invertMode(double x, double scale) {
    double lo = 0;
    double hi = 1;
    for (int i = 0; i < 100; i++) {
      double mid = 0.5 * (lo + hi);
      double c = Math.cos(Math.PI * mid / 2);
      double f = 1 - mid - scale * (c * c - 1 + mid);
      if (f > x) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  /** The bfloat16 value nearest to x (ties to even), by comparing the two candidates around it. */
  static float nearestBfloat16(float x) {
    int bits = Float.floatToRawIntBits(x);
    float below = Float.intBitsToFloat(bits & 0xFFFF0000);
    float above = Float.intBitsToFloat((bits & 0xFFFF0000) + 0x10000);
    double dBelow = Math.abs((double) x - below);
    double dAbove = Math.abs((double) above - x);
    if (dBelow != dAbove) {
      return dBelow < dAbove ? below : above;
    }
    return (Float.floatToRawIntBits(below) & 0x10000) == 0 ? below : above;
  }

  private static TimestepConfigBuilder sigma() {
    return TimestepConfigBuilder.of(TimestepSampling.SIGMA);
  }
}
