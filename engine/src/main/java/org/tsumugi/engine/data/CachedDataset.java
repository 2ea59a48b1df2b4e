package org.tsumugi.engine.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One dataset of the dataset config with its cache files discovered and checked.
 *
 * @param index position in the dataset config (0-based); keys the dataset's random streams
 * @param buckets sorted by {@link BucketKey}; none is empty
 * @param entries the cache entries every item of the dataset has (latents, and e.g. clip, latents_image)
 */
public record CachedDataset(
    int index, Path cacheDirectory, MediaKind kind, int batchSize, List<Bucket> buckets, Set<CacheEntry> entries) {

  public CachedDataset {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch_size must be at least 1, got " + batchSize);
    }
    buckets = List.copyOf(buckets);
    entries = Set.copyOf(entries);
  }

  /** Batches per epoch: the sum over buckets of ⌈n / B⌉. */
  public int batchCount() {
    return buckets.stream().mapToInt(b -> b.batchCount(batchSize)).sum();
  }

  /** Items per epoch, repeats included. */
  public int itemCount() {
    return buckets.stream().mapToInt(b -> b.items().size()).sum();
  }
}
