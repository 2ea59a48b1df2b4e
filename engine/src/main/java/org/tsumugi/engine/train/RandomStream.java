package org.tsumugi.engine.train;

/**
 * A deterministic generator (xoshiro256** by Blackman and Vigna) seeded from one stream key by SplitMix64. Its
 * algorithms are fixed here, unlike {@code java.util.Random.nextGaussian}, so numbers never change with the JDK.
 * A stream is cheap to create; obtain one from {@link StepRandom} for each (purpose, step, index) and draw from it
 * in a fixed order.
 */
public final class RandomStream {
  private static final long GAMMA = 0x9E3779B97F4A7C15L;
  private long s0;
  private long s1;
  private long s2;
  private long s3;

  private RandomStream(long s0, long s1, long s2, long s3) {
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** A stream whose state is the SplitMix64 sequence started at {@code key} (never all zero). */
  public static RandomStream fromKey(long key) {
    long x = key;
    long a = StepRandom.mix64(x += GAMMA);
    long b = StepRandom.mix64(x += GAMMA);
    long c = StepRandom.mix64(x += GAMMA);
    long d = StepRandom.mix64(x + GAMMA);
    return new RandomStream(a, b, c, d);
  }

  /** A stream with the given xoshiro256** state (known-answer tests). */
  static RandomStream ofState(long s0, long s1, long s2, long s3) {
    return new RandomStream(s0, s1, s2, s3);
  }

  public long nextLong() {
    long result = Long.rotateLeft(s1 * 5, 7) * 9;
    long t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = Long.rotateLeft(s3, 45);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** A uniform float in [0, 1) with 24 random bits (the resolution of {@code torch.rand} in float32). */
  public float nextFloat() {
    return (nextLong() >>> 40) * 0x1.0p-24f;
  }

  /** A uniform integer in [0, bound), without modulo bias (Lemire's multiply-and-reject). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, got " + bound);
    }
    long m = (nextLong() >>> 32) * bound;
    if ((m & 0xFFFFFFFFL) < bound) {
      long threshold = (0x1_0000_0000L - bound) % bound;
      while ((m & 0xFFFFFFFFL) < threshold) {
        m = (nextLong() >>> 32) * bound;
      }
    }
    return (int) (m >>> 32);
  }

  /** A standard normal number (ziggurat, see {@link NormalZiggurat}). */
  public double nextGaussian() {
    return NormalZiggurat.sample(this);
  }

  /** Fills {@code out} with standard normal numbers rounded to float32. */
  public void fillGaussian(float[] out) {
    fillGaussian(out, 0, out.length);
  }

  /** Fills {@code out[offset .. offset+length)} with standard normal numbers rounded to float32. */
  public void fillGaussian(float[] out, int offset, int length) {
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      out[i] = (float) NormalZiggurat.sample(this);
    }
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates from the top). */
  public int[] permutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
