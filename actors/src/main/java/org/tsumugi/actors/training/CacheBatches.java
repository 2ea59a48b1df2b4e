package org.tsumugi.actors.training;

import java.io.IOException;
import java.util.OptionalInt;
import org.tsumugi.config.TsumugiConfig;
import org.tsumugi.config.dataset.DatasetConfig;
import org.tsumugi.engine.data.CacheDiscovery;
import org.tsumugi.engine.data.CacheRequirements;
import org.tsumugi.engine.data.DiscoveredCaches;
import org.tsumugi.engine.data.EpochPlan;
import org.tsumugi.engine.data.LoadedBatch;

/**
 * A run's batches read from the reference's cache files: the datasets of the dataset config, discovered and checked
 * against the model once, then each epoch's order from (seed, epoch) ({@link EpochPlan}). Thread-safe: the
 * DataLoader reads ahead on its I/O threads.
 */
public final class CacheBatches implements BatchSource {
  private final DiscoveredCaches data;
  private final CacheRequirements requirements;
  private final long seed;
  private final OptionalInt numTimestepBuckets;
  private EpochPlan current;

  private CacheBatches(DiscoveredCaches data, CacheRequirements requirements, long seed,
      OptionalInt numTimestepBuckets) {
    this.data = data;
    this.requirements = requirements;
    this.seed = seed;
    this.numTimestepBuckets = numTimestepBuckets;
  }

  /**
   * Discovers the dataset's cache files for the run's model; a cache file that does not fit the model is refused by
   * name.
   */
  public static CacheBatches open(TsumugiConfig config, DatasetConfig dataset) throws IOException {
    CacheRequirements requirements = CacheRequirements.forModel(DitLoader.configFor(config.model()));
    DiscoveredCaches data = CacheDiscovery.discover(dataset, requirements);
    return new CacheBatches(data, requirements, config.training().seed().getAsLong(),
        config.timesteps().numTimestepBuckets());
  }

  @Override
  public int batchesPerEpoch() {
    return data.batchesPerEpoch();
  }

  @Override
  public int numTrainItems() {
    return data.datasets().stream().mapToInt(d -> d.itemCount()).sum();
  }

  @Override
  public HostBatch load(int epoch, int index) throws IOException {
    return new HostBatch(epoch, index, LoadedBatch.load(plan(epoch + 1).batch(index), requirements));
  }

  private synchronized EpochPlan plan(int epoch) {
    if (current == null || current.epoch() != epoch) {
      current = EpochPlan.of(data, seed, epoch, numTimestepBuckets);
    }
    return current;
  }
}
