package org.tsumugi.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Stratified uniforms for {@code num_timestep_buckets} N (reference/training.md §2.4). Values are in [0, 1) and are
 * fed to the timestep modes in place of fresh draws. N ≤ 1 disables bucketing (callers then pass no u).
 */
public final class TimestepBuckets {
  private TimestepBuckets() {}

  /**
   * The dataset-level pool of one epoch: N strata [i/N, (i+1)/N), ⌈B·L/N⌉ uniform values in each, shuffled
   * together, cut to L·B values and dealt in consecutive chunks of B to the batches in their (shuffled) order;
   * a batch shorter than B keeps the first values of its chunk.
   *
   * @param batchLengths the real size of each batch of the epoch, in the order the batches are served
   * @param batchSize the dataset's batch size B
   * @param random a stream keyed e.g. by (TIMESTEP_BUCKETS, epoch, dataset index)
   * @return per batch, its u values
   */
  public static List<double[]> epochPool(int[] batchLengths, int batchSize, int numBuckets, RandomStream random) {
    int total = batchLengths.length * batchSize;
    int perBucket = (total + numBuckets - 1) / numBuckets;
    double[] values = new double[perBucket * numBuckets];
    for (int i = 0; i < numBuckets; i++) {
      double low = (double) i / numBuckets;
      double high = (double) (i + 1) / numBuckets;
      for (int j = 0; j < perBucket; j++) {
        values[i * perBucket + j] = low + (high - low) * random.nextDouble();
      }
    }
    int[] order = random.permutation(values.length);
    List<double[]> batches = new ArrayList<>(batchLengths.length);
    for (int b = 0; b < batchLengths.length; b++) {
      double[] chunk = new double[Math.min(batchLengths[b], batchSize)];
      for (int j = 0; j < chunk.length; j++) {
        chunk[j] = values[order[b * batchSize + j]];
      }
      batches.add(chunk);
    }
    return batches;
  }

  /**
   * Draw number {@code position} (0-based, counted over the whole run) of the trainer-level pool: draws come in
   * cycles of N, each cycle visiting every stratum once in a random order, like the reference's pool that is refilled
   * and shuffled when empty. A pure function of (seed, N, position); the position is durable run state.
   */
  public static double poolDraw(StepRandom random, int numBuckets, long position) {
    long cycle = position / numBuckets;
    int slot = (int) (position % numBuckets);
    int[] strata = random.stream(RandomPurpose.TIMESTEP_POOL, cycle, 0, 0).permutation(numBuckets);
    int stratum = strata[slot];
    double low = (double) stratum / numBuckets;
    double high = (double) (stratum + 1) / numBuckets;
    return low + (high - low) * random.stream(RandomPurpose.TIMESTEP_POOL, cycle, slot, 1).nextDouble();
  }

  /** Whether {@code num_timestep_buckets} enables bucketing (set and above 1). */
  public static boolean enabled(OptionalInt numBuckets) {
    return numBuckets.isPresent() && numBuckets.getAsInt() > 1;
  }
}
