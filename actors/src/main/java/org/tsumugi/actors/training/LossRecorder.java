package org.tsumugi.actors.training;

import java.util.Arrays;

/**
 * The reference's logged loss average (reference/training.md §6, its LossRecorder): during the first epoch every
 * micro-batch's loss is appended; later epochs overwrite the slot of the same batch index, so the average is over a
 * sliding window of one epoch. The running total is kept as the reference keeps it (add the new, subtract the old),
 * so its rounding is the reference's too.
 */
public final class LossRecorder {
  private double[] losses;
  private int size;
  private double total;

  public LossRecorder() {
    this(new double[0], 0.0);
  }

  /** A recorder continuing from a saved window and total. */
  public LossRecorder(double[] losses, double total) {
    this.losses = Arrays.copyOf(losses, Math.max(16, losses.length));
    this.size = losses.length;
    this.total = total;
  }

  /**
   * @param epoch 0-based epoch
   * @param batchIndex 0-based micro-batch index within the epoch
   */
  public void add(int epoch, int batchIndex, double loss) {
    if (epoch == 0) {
      append(loss);
    } else {
      while (size <= batchIndex) {
        append(0.0);
      }
      total -= losses[batchIndex];
      losses[batchIndex] = loss;
    }
    total += loss;
  }

  private void append(double value) {
    if (size == losses.length) {
      losses = Arrays.copyOf(losses, losses.length * 2);
    }
    losses[size++] = value;
  }

  /** The moving average; NaN before the first loss (the reference would divide by zero). */
  public double movingAverage() {
    return size == 0 ? Double.NaN : total / size;
  }

  public double[] window() {
    return Arrays.copyOf(losses, size);
  }

  public double total() {
    return total;
  }
}
