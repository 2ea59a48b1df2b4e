package org.tsumugi.engine.data;

import java.io.Serializable;

/**
 * A position in the data: batch {@code batchIndex} (0-based) of epoch {@code epoch} (1-based, as the reference
 * counts epochs; {@code StepPlan}'s 0-based epoch e is cursor epoch e+1). Saved with the training state so that a
 * resumed run continues with the very batch an uninterrupted run would train on next.
 */
public record DataCursor(int epoch, int batchIndex) implements Serializable {

  public DataCursor {
    if (epoch < 1 || batchIndex < 0) {
      throw new IllegalArgumentException("data cursor (epoch " + epoch + ", batch " + batchIndex + ") needs epoch"
          + " >= 1 and batch >= 0");
    }
  }

  /** The first batch of the first epoch. */
  public static DataCursor start() {
    return new DataCursor(1, 0);
  }

  /** The batch after this one, rolling over into the next epoch after batch L−1. */
  public DataCursor next(int batchesPerEpoch) {
    if (batchIndex >= batchesPerEpoch) {
      throw new IllegalArgumentException("batch " + batchIndex + " is past an epoch of " + batchesPerEpoch);
    }
    return batchIndex + 1 < batchesPerEpoch ? new DataCursor(epoch, batchIndex + 1) : new DataCursor(epoch + 1, 0);
  }
}
