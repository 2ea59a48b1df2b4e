package org.tsumugi.actors.training;

import java.io.IOException;

/**
 * The batches of a run in their deterministic order: batch {@code index} of {@code epoch} is a pure function of the
 * dataset, the seed and (epoch, index), so a resumed run reads exactly what the uninterrupted run read. Loads run on
 * the DataLoader's own threads, never the trainer's.
 */
public interface BatchSource {

  /** L, the same for every epoch. */
  int batchesPerEpoch();

  /** Items over all datasets, repeats included (ss_num_train_items). */
  int numTrainItems();

  /**
   * Reads batch {@code index} (0-based) of the 0-based {@code epoch}.
   *
   * @throws IOException naming the file when a cache file cannot be read or is corrupt
   */
  HostBatch load(int epoch, int index) throws IOException;
}
