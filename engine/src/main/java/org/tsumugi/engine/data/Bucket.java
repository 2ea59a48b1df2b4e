package org.tsumugi.engine.data;

import java.util.List;

/**
 * The items of one bucket of a dataset, each repeated {@code num_repeats} times (reference/wan-model.md §4.5), in
 * discovery order (file names sorted).
 */
public record Bucket(BucketKey key, List<CacheItem> items) {

  public Bucket {
    items = List.copyOf(items);
  }

  /** ⌈n / B⌉ batches; the last may be short. */
  public int batchCount(int batchSize) {
    return (items.size() + batchSize - 1) / batchSize;
  }
}
