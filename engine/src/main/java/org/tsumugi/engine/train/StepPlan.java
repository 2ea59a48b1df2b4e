package org.tsumugi.engine.train;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Epochs, micro-steps and optimizer steps of a run with gradient accumulation (reference/training.md §5.1–§5.2, one
 * process). An epoch has L batches (micro-steps); micro-step c (1-based within the epoch) is a sync step, i.e. ends
 * with an optimizer update, when c % GA == 0 or it is the epoch's last batch, so every epoch ends with an update
 * even if fewer than GA batches were accumulated. Training stops as soon as {@code maxTrainSteps} updates are done,
 * possibly in the middle of the last epoch. Epochs and batch indices here are 0-based.
 *
 * @param batchesPerEpoch L
 * @param gradientAccumulationSteps GA
 * @param maxTrainSteps the number of optimizer updates (from {@code max_train_epochs} when that is set)
 * @param stepsPerEpoch ⌈L / GA⌉
 * @param numTrainEpochs ⌈maxTrainSteps / stepsPerEpoch⌉
 */
public record StepPlan(
    int batchesPerEpoch, int gradientAccumulationSteps, long maxTrainSteps, long stepsPerEpoch, long numTrainEpochs) {

  /**
   * The plan of a run; {@code max_train_epochs}, when set, overrides {@code max_train_steps} with
   * max_train_epochs·⌈L / GA⌉.
   */
  public static StepPlan of(int batchesPerEpoch, int gradientAccumulationSteps, long maxTrainSteps,
      OptionalInt maxTrainEpochs) {
    if (batchesPerEpoch < 1) {
      throw new IllegalArgumentException("an epoch needs at least one batch, got " + batchesPerEpoch);
    }
    if (gradientAccumulationSteps < 1) {
      throw new TrainingOptionException("gradient_accumulation_steps", "must be at least 1, got "
          + gradientAccumulationSteps);
    }
    long stepsPerEpoch = ceilDiv(batchesPerEpoch, gradientAccumulationSteps);
    long steps = maxTrainSteps;
    if (maxTrainEpochs.isPresent()) {
      if (maxTrainEpochs.getAsInt() < 1) {
        throw new TrainingOptionException("max_train_epochs", "must be at least 1, got " + maxTrainEpochs.getAsInt());
      }
      steps = maxTrainEpochs.getAsInt() * stepsPerEpoch;
    }
    if (steps < 1) {
      throw new TrainingOptionException("max_train_steps", "must be at least 1, got " + steps);
    }
    return new StepPlan(batchesPerEpoch, gradientAccumulationSteps, steps, stepsPerEpoch,
        ceilDiv(steps, stepsPerEpoch));
  }

  /** Whether the micro-step of batch {@code batchIndex} ends with an optimizer update. */
  public boolean isSyncStep(int batchIndex) {
    checkBatch(batchIndex);
    return (batchIndex + 1) % gradientAccumulationSteps == 0 || batchIndex == batchesPerEpoch - 1;
  }

  /** The number of optimizer updates done before the micro-step (epoch, batchIndex) starts (global_step then). */
  public long stepsBefore(long epoch, int batchIndex) {
    checkBatch(batchIndex);
    return epoch * stepsPerEpoch + batchIndex / gradientAccumulationSteps;
  }

  /** Whether the micro-step (epoch, batchIndex) runs at all: the run stops once maxTrainSteps updates are done. */
  public boolean runs(long epoch, int batchIndex) {
    return epoch >= 0 && epoch < numTrainEpochs && stepsBefore(epoch, batchIndex) < maxTrainSteps;
  }

  /**
   * The global step (1-based count of updates) that the micro-step (epoch, batchIndex) completes, or empty if it is
   * not a sync step or does not run.
   */
  public OptionalLong completesStep(long epoch, int batchIndex) {
    if (!runs(epoch, batchIndex) || !isSyncStep(batchIndex)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(stepsBefore(epoch, batchIndex) + 1);
  }

  private void checkBatch(int batchIndex) {
    if (batchIndex < 0 || batchIndex >= batchesPerEpoch) {
      throw new IndexOutOfBoundsException("batch " + batchIndex + " of an epoch of " + batchesPerEpoch);
    }
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
