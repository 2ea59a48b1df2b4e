package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StepRandomTest {
  private static final int N = 100_000;
  private final StepRandom random = new StepRandom(20240611L);

  @Test
  void xoshiroMatchesTheReferenceAlgorithmFromState1234() {
    // outputs of Blackman & Vigna's xoshiro256** reference code for state {1, 2, 3, 4}
    long[] expected = {11520L, 0L, 1509978240L, 1215971899390074240L, 1216172134540287360L, 607988272756665600L};
    RandomStream stream = RandomStream.ofState(1, 2, 3, 4);
    for (long e : expected) {
      assertEquals(e, stream.nextLong());
    }
  }

  @Test
  void mixerIsTheSplitMix64Finaliser() {
    // the first three SplitMix64 outputs from state 0 (Vigna's splitmix64.c)
    assertEquals(0xE220A8397B1DCDAFL, StepRandom.mix64(0x9E3779B97F4A7C15L));
    assertEquals(0x6E789E6AA1B965F4L, StepRandom.mix64(2 * 0x9E3779B97F4A7C15L));
    assertEquals(0x06C45D188009454FL, StepRandom.mix64(3 * 0x9E3779B97F4A7C15L));
  }

  @Test
  void sameKeyGivesSameNumbersFromANewInstance() {
    RandomStream a = random.stream(RandomPurpose.NOISE, 12, 3);
    RandomStream b = new StepRandom(20240611L).stream(RandomPurpose.NOISE, 12, 3);
    for (int i = 0; i < 1000; i++) {
      assertEquals(a.nextLong(), b.nextLong());
    }
    float[] x = new float[5000];
    float[] y = new float[5000];
    random.stream(RandomPurpose.NOISE, 99, 0).fillGaussian(x);
    random.stream(RandomPurpose.NOISE, 99, 0).fillGaussian(y);
    assertArrayEquals(x, y);
  }

  @Test
  void everyKeyComponentChangesTheStream() {
    long base = random.key(RandomPurpose.NOISE, 5, 2, 0);
    assertNotEquals(base, new StepRandom(20240612L).key(RandomPurpose.NOISE, 5, 2, 0));
    assertNotEquals(base, random.key(RandomPurpose.TIMESTEP, 5, 2, 0));
    assertNotEquals(base, random.key(RandomPurpose.NOISE, 6, 2, 0));
    assertNotEquals(base, random.key(RandomPurpose.NOISE, 5, 3, 0));
    assertNotEquals(base, random.key(RandomPurpose.NOISE, 5, 2, 1));
    // swapping step and index must not give the same key
    assertNotEquals(random.key(RandomPurpose.NOISE, 2, 5, 0), base);
  }

  @Test
  void neighbouringKeysGiveUncorrelatedStreams() {
    double[] base = uniforms(random.stream(RandomPurpose.NOISE, 10, 0), N);
    double bound = 4.5 / Math.sqrt(N);
    assertTrue(Math.abs(correlation(base, uniforms(random.stream(RandomPurpose.NOISE, 11, 0), N))) < bound);
    assertTrue(Math.abs(correlation(base, uniforms(random.stream(RandomPurpose.NOISE, 10, 1), N))) < bound);
    assertTrue(Math.abs(correlation(base, uniforms(random.stream(RandomPurpose.NOISE, 10, 0, 1), N))) < bound);
    assertTrue(Math.abs(correlation(base, uniforms(random.stream(RandomPurpose.DROPOUT, 10, 0), N))) < bound);
    assertTrue(Math.abs(correlation(base,
        uniforms(new StepRandom(20240612L).stream(RandomPurpose.NOISE, 10, 0), N))) < bound);
  }

  @Test
  void firstDrawsAcrossManyKeysAreUniform() {
    // one draw per key, as the timestep sampler uses them
    double[] first = new double[N];
    for (int i = 0; i < N; i++) {
      first[i] = random.stream(RandomPurpose.TIMESTEP, i / 100, i % 100).nextDouble();
    }
    assertTrue(KolmogorovSmirnov.statistic(first, x -> x) < KolmogorovSmirnov.bound(N));
  }

  @Test
  void uniformsHaveTheUniformDistribution() {
    double[] u = uniforms(random.stream(RandomPurpose.DATA_ORDER, 0, 0), N);
    assertEquals(0.5, mean(u), 4 * Math.sqrt(1 / 12.0 / N));
    assertEquals(1 / 12.0, variance(u), 0.002);
    assertTrue(KolmogorovSmirnov.statistic(u, x -> x) < KolmogorovSmirnov.bound(N));
    RandomStream s = random.stream(RandomPurpose.DATA_ORDER, 0, 1);
    double[] f = new double[N];
    for (int i = 0; i < N; i++) {
      float v = s.nextFloat();
      assertTrue(v >= 0f && v < 1f);
      f[i] = v;
    }
    assertTrue(KolmogorovSmirnov.statistic(f, x -> x) < KolmogorovSmirnov.bound(N));
  }

  @Test
  void gaussiansHaveTheNormalDistribution() {
    float[] z = new float[N];
    random.stream(RandomPurpose.NOISE, 1, 0).fillGaussian(z);
    double[] x = KolmogorovSmirnov.toDoubles(z);
    assertEquals(0, mean(x), 4 / Math.sqrt(N));
    assertEquals(1, variance(x), 4 * Math.sqrt(2.0 / N));
    assertTrue(KolmogorovSmirnov.statistic(x, StandardNormal::cdf) < KolmogorovSmirnov.bound(N));
  }

  @Test
  void gaussianTailsHaveTheNormalMass() {
    // 2M draws: beyond ±3 (probability 0.0026998) and beyond the ziggurat's tail start 3.4426 (0.0005760)
    int n = 2_000_000;
    float[] z = new float[n];
    random.stream(RandomPurpose.NOISE, 2, 0).fillGaussian(z);
    long beyond3 = 0;
    long beyondTail = 0;
    for (float v : z) {
      beyond3 += Math.abs(v) > 3 ? 1 : 0;
      beyondTail += Math.abs(v) > 3.442619855899 ? 1 : 0;
    }
    assertExpectedCount(n, 2 * (1 - StandardNormal.cdf(3)), beyond3);
    assertExpectedCount(n, 2 * (1 - StandardNormal.cdf(3.442619855899)), beyondTail);
  }

  @Test
  void fillGaussianEqualsSuccessiveDraws() {
    float[] filled = new float[1001];
    random.stream(RandomPurpose.NOISE, 3, 4).fillGaussian(filled);
    RandomStream s = random.stream(RandomPurpose.NOISE, 3, 4);
    for (float v : filled) {
      assertEquals(v, (float) s.nextGaussian());
    }
  }

  @Test
  void boundedIntegersAreUnbiased() {
    RandomStream s = random.stream(RandomPurpose.DATA_ORDER, 4, 0);
    int bound = 7;
    long[] counts = new long[bound];
    for (int i = 0; i < 70_000; i++) {
      counts[s.nextInt(bound)]++;
    }
    double chi2 = 0;
    for (long c : counts) {
      chi2 += (c - 10_000.0) * (c - 10_000.0) / 10_000.0;
    }
    assertTrue(chi2 < 22.46, "chi-square with 6 degrees of freedom, 0.1% critical value: " + chi2);
  }

  @Test
  void permutationContainsEveryIndexOnce() {
    int[] p = random.stream(RandomPurpose.DATA_ORDER, 5, 0).permutation(1000);
    int[] sorted = p.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < 1000; i++) {
      assertEquals(i, sorted[i]);
    }
    assertNotEquals(Arrays.toString(sorted), Arrays.toString(p));
  }

  private static void assertExpectedCount(int n, double p, long count) {
    double expected = n * p;
    double sd = Math.sqrt(n * p * (1 - p));
    assertEquals(expected, count, 4.5 * sd, "count with probability " + p);
  }

  private static double[] uniforms(RandomStream s, int n) {
    double[] u = new double[n];
    for (int i = 0; i < n; i++) {
      u[i] = s.nextDouble();
    }
    return u;
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  private static double variance(double[] x) {
    double m = mean(x);
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return s / (x.length - 1);
  }

  private static double correlation(double[] a, double[] b) {
    double ma = mean(a);
    double mb = mean(b);
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }
}
