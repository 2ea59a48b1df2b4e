package org.tsumugi.engine.train;

/**
 * All randomness of a run as a pure function of (seed, purpose, global step, sample index, lane): there is no
 * generator whose state would have to be saved, so a resumed run draws exactly what the uninterrupted run drew
 * (ARCHITECTURE.md "Durable state and resume").
 *
 * <p>A stream key is derived by chaining the SplitMix64 finaliser over the five words, each offset by its own
 * multiple of the golden-ratio constant so that equal words at different positions do not cancel. The key seeds a
 * {@link RandomStream} (xoshiro256**). The lane separates repeated draws of one (step, index), e.g. the rounds of
 * rejection sampling.
 *
 * @param seed the run's {@code seed}
 */
public record StepRandom(long seed) {
  private static final long GAMMA = 0x9E3779B97F4A7C15L;

  public RandomStream stream(RandomPurpose purpose, long step, long index) {
    return stream(purpose, step, index, 0);
  }

  public RandomStream stream(RandomPurpose purpose, long step, long index, long lane) {
    return RandomStream.fromKey(key(purpose, step, index, lane));
  }

  /** The 64-bit stream key; distinct inputs give independent-looking keys. */
  public long key(RandomPurpose purpose, long step, long index, long lane) {
    long h = mix64(seed + GAMMA);
    h = mix64(h ^ mix64(purpose.code() + 2 * GAMMA));
    h = mix64(h ^ mix64(step + 3 * GAMMA));
    h = mix64(h ^ mix64(index + 4 * GAMMA));
    return mix64(h ^ mix64(lane + 5 * GAMMA));
  }

  /** The SplitMix64 finaliser (Stafford's variant 13): a bijection with full avalanche. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
