package org.tsumugi.engine.data;

import java.util.List;
import java.util.Optional;

/**
 * One batch of an epoch: which items, from which dataset and bucket, and (with {@code num_timestep_buckets}) the
 * stratified uniforms u its samples' timesteps are drawn from (reference/training.md §2.4).
 *
 * @param position the batch's index in the epoch's order
 * @param items 1 to batch_size items of one bucket (an item may appear twice through num_repeats)
 * @param timestepUniforms one u per item, or empty when timestep bucketing is off
 */
public record PlannedBatch(
    int position, int datasetIndex, BucketKey bucket, List<CacheItem> items, Optional<double[]> timestepUniforms) {

  public PlannedBatch {
    items = List.copyOf(items);
    timestepUniforms = timestepUniforms.map(double[]::clone);
    if (timestepUniforms.isPresent() && timestepUniforms.get().length != items.size()) {
      throw new IllegalArgumentException(timestepUniforms.get().length + " timestep uniforms for " + items.size()
          + " items");
    }
  }

  @Override
  public Optional<double[]> timestepUniforms() {
    return timestepUniforms.map(double[]::clone);
  }

  public int size() {
    return items.size();
  }
}
