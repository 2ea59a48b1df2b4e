package org.tsumugi.engine.train;

import java.util.Optional;
import org.tsumugi.config.TimestepConfig;

/**
 * What the reference's {@code --show_timesteps} computes (reference/training.md §2.5): how often each of the 1000
 * timestep bins is drawn over 100 batches of 1000 samples of a 1024×1024 image (latent 128×128), and the loss weight
 * at each timestep 1..1000.
 */
public record TimestepHistogram(long[] counts, double[] weights) {

  public static final int BINS = 1000;
  private static final int ROUNDS = 100;
  private static final int BATCH = 1000;
  private static final int LATENT_SIZE = 128;

  /** Samples with {@code seed}; with {@code num_timestep_buckets} the u's come from the trainer-side pool. */
  public static TimestepHistogram of(TimestepConfig config, long seed) {
    // The reference runs this path with float16 as the DiT dtype.
    TimestepSampler sampler = new TimestepSampler(config, SigmaDtype.FLOAT16);
    StepRandom random = new StepRandom(seed);
    boolean pooled = TimestepBuckets.enabled(config.numTimestepBuckets());
    long[] counts = new long[BINS];
    long pool = 0;
    for (int round = 0; round < ROUNDS; round++) {
      Optional<double[]> u = Optional.empty();
      if (pooled) {
        double[] draws = new double[BATCH];
        for (int i = 0; i < BATCH; i++) {
          draws[i] = TimestepBuckets.poolDraw(random, config.numTimestepBuckets().getAsInt(), pool++);
        }
        u = Optional.of(draws);
      }
      TimestepSampler.Sample s = sampler.sample(BATCH, round, LATENT_SIZE, LATENT_SIZE, random, u, pool);
      pool = Math.max(pool, s.poolPosition());
      for (float sigma : s.sigmas()) {
        counts[Math.min(BINS - 1, (int) (sigma * 1000f))]++;
      }
    }
    return new TimestepHistogram(counts, weights(config));
  }

  private static double[] weights(TimestepConfig config) {
    LossWeighting weighting = new LossWeighting(config.weightingScheme(), SigmaDtype.FLOAT16);
    double[] w = new double[BINS];
    for (int i = 0; i < BINS; i++) {
      double v = weighting.weighted() ? weighting.weights(new float[] {i + 1}).values()[0] : 1.0;
      w[i] = Double.isInfinite(v) || Double.isNaN(v) ? 1.0 : v;
    }
    return w;
  }
}
