package org.tsumugi.engine.data;

import java.util.List;

/**
 * Every dataset of a dataset config with its cache files, plus the items that were skipped (for the caller to log).
 */
public record DiscoveredCaches(List<CachedDataset> datasets, List<SkippedItem> skipped) {

  public DiscoveredCaches {
    datasets = List.copyOf(datasets);
    skipped = List.copyOf(skipped);
  }

  /** L, the batches of one epoch over all datasets (reference/training.md §5.1). */
  public int batchesPerEpoch() {
    return datasets.stream().mapToInt(CachedDataset::batchCount).sum();
  }
}
