package org.tsumugi.engine.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.tsumugi.engine.train.RandomPurpose;
import org.tsumugi.engine.train.StepRandom;
import org.tsumugi.engine.train.TimestepBuckets;

/**
 * The order of one epoch's batches, a pure function of (seed, epoch) (ARCHITECTURE.md: the DataLoader "builds
 * batches in a deterministic order from (seed, epoch)").
 *
 * <p>It follows the reference's structure (reference/wan-model.md §4.5, reference/training.md §2.4, §5.1, §5.5): each
 * dataset shuffles the items of every bucket, cuts each bucket into ⌈n/B⌉ batches (buckets in sorted order), shuffles
 * its batch order and deals its stratified timestep pool to its batches in that order; then the batches of all
 * datasets are shuffled together, as the reference's DataLoader (shuffle=True over the datasets' concatenation) does.
 *
 * <p>Randomness, all from {@link StepRandom} with the run's seed and step = epoch (1-based):
 * <ul>
 *   <li>items of bucket b (sorted order) of dataset d: {@code DATA_ORDER, index d, lane 1+b};
 *   <li>batch order of dataset d: {@code DATA_ORDER, index d, lane 0};
 *   <li>timestep pool of dataset d: {@code TIMESTEP_BUCKETS, index d, lane 0};
 *   <li>order across datasets: {@code DATA_ORDER, index −1, lane 0}.
 * </ul>
 * The reference reseeds Python's {@code random} with seed+epoch and shuffles the previous epoch's lists in place, and
 * draws the cross-dataset order from torch's global generator; we do not reproduce those generators bit for bit.
 * Each epoch here permutes the discovery order afresh, so an epoch's order depends on nothing but (seed, epoch): the
 * same distribution of orders, and a resumed run needs only the {@link DataCursor}.
 */
public final class EpochPlan {
  /** Stream index of the order across datasets. */
  static final long ALL_DATASETS = -1;

  private final int epoch;
  private final List<PlannedBatch> batches;

  private EpochPlan(int epoch, List<PlannedBatch> batches) {
    this.epoch = epoch;
    this.batches = batches;
  }

  /**
   * The plan of {@code epoch} (1-based).
   *
   * @param numTimestepBuckets {@code num_timestep_buckets}; empty or ≤ 1 gives batches without timestep uniforms
   */
  public static EpochPlan of(DiscoveredCaches data, long seed, int epoch, OptionalInt numTimestepBuckets) {
    if (epoch < 1) {
      throw new IllegalArgumentException("epochs count from 1, got " + epoch);
    }
    StepRandom random = new StepRandom(seed);
    List<Draft> concatenated = new ArrayList<>();
    for (CachedDataset dataset : data.datasets()) {
      concatenated.addAll(datasetOrder(dataset, random, epoch, numTimestepBuckets));
    }
    int[] order = random.stream(RandomPurpose.DATA_ORDER, epoch, ALL_DATASETS).permutation(concatenated.size());
    List<PlannedBatch> batches = new ArrayList<>(order.length);
    for (int position = 0; position < order.length; position++) {
      Draft d = concatenated.get(order[position]);
      batches.add(new PlannedBatch(position, d.datasetIndex, d.bucket, d.items, d.timestepUniforms));
    }
    return new EpochPlan(epoch, List.copyOf(batches));
  }

  private record Draft(int datasetIndex, BucketKey bucket, List<CacheItem> items, Optional<double[]> timestepUniforms) {}

  /** One dataset's batches in its own shuffled order, each with its share of the timestep pool. */
  private static List<Draft> datasetOrder(CachedDataset dataset, StepRandom random, int epoch,
      OptionalInt numTimestepBuckets) {
    int batchSize = dataset.batchSize();
    List<Draft> canonical = new ArrayList<>();
    for (int b = 0; b < dataset.buckets().size(); b++) {
      Bucket bucket = dataset.buckets().get(b);
      List<CacheItem> shuffled = permuted(bucket.items(),
          random.stream(RandomPurpose.DATA_ORDER, epoch, dataset.index(), 1 + b).permutation(bucket.items().size()));
      for (int start = 0; start < shuffled.size(); start += batchSize) {
        List<CacheItem> items = shuffled.subList(start, Math.min(start + batchSize, shuffled.size()));
        canonical.add(new Draft(dataset.index(), bucket.key(), items, Optional.empty()));
      }
    }
    List<Draft> ordered = permuted(canonical,
        random.stream(RandomPurpose.DATA_ORDER, epoch, dataset.index(), 0).permutation(canonical.size()));
    if (ordered.isEmpty() || !TimestepBuckets.enabled(numTimestepBuckets)) {
      return ordered;
    }
    int[] lengths = ordered.stream().mapToInt(d -> d.items.size()).toArray();
    List<double[]> pool = TimestepBuckets.epochPool(lengths, batchSize, numTimestepBuckets.getAsInt(),
        random.stream(RandomPurpose.TIMESTEP_BUCKETS, epoch, dataset.index()));
    List<Draft> withTimesteps = new ArrayList<>(ordered.size());
    for (int i = 0; i < ordered.size(); i++) {
      Draft d = ordered.get(i);
      withTimesteps.add(new Draft(d.datasetIndex, d.bucket, d.items, Optional.of(pool.get(i))));
    }
    return withTimesteps;
  }

  private static <T> List<T> permuted(List<T> list, int[] permutation) {
    List<T> out = new ArrayList<>(list.size());
    for (int i : permutation) {
      out.add(list.get(i));
    }
    return out;
  }

  /** The epoch, 1-based. */
  public int epoch() {
    return epoch;
  }

  /** L, the number of batches. */
  public int batchCount() {
    return batches.size();
  }

  public List<PlannedBatch> batches() {
    return batches;
  }

  public PlannedBatch batch(int position) {
    if (position < 0 || position >= batches.size()) {
      throw new IndexOutOfBoundsException("batch " + position + " of an epoch of " + batches.size());
    }
    return batches.get(position);
  }

  /** The batch at {@code cursor}, which must point into this epoch. */
  public PlannedBatch batch(DataCursor cursor) {
    if (cursor.epoch() != epoch) {
      throw new IllegalArgumentException("cursor " + cursor + " is not in epoch " + epoch);
    }
    return batch(cursor.batchIndex());
  }
}
