package org.tsumugi.actors;

import java.util.List;

/**
 * What happened in a run, as recorded in its ledger (the RunSupervisor's journal) and fanned out to every monitor
 * sink. Every sink is a projection of these events; nothing else feeds monitoring.
 */
public sealed interface RunEvent extends CborSerializable {

  /** Milliseconds since the epoch when the event was recorded. */
  long atMillis();

  /**
   * The run began (or was re-planned on resume: the plan must be the same).
   *
   * @param config the fully resolved configuration (HOCON text) and its sha256
   */
  record RunStarted(
      long atMillis,
      String runName,
      String config,
      String configSha256,
      long maxTrainSteps,
      int numTrainEpochs,
      int batchesPerEpoch,
      List<String> lrGroups) implements RunEvent {}

  /** The process (re)attached to the run: after a start or a resume. */
  record ProcessAttached(long atMillis, long pid, long fromStep) implements RunEvent {}

  /** A batch of completed optimizer steps (recorded in groups to keep the ledger small). */
  record StepsCompleted(long atMillis, List<StepMetrics> steps) implements RunEvent {}

  /**
   * One optimizer step.
   *
   * @param step the global step this update completed (1-based)
   * @param epoch 1-based epoch
   * @param loss loss of the step's last micro-batch; {@code averageLoss} the reference's moving average
   * @param learningRates each group's rate as the reference logs it after this step ({@code lr/<group>}), in
   *     {@link RunStarted#lrGroups()} order
   * @param dTimesLearningRates Prodigy's d times each rate ({@code lr/d*lr/<group>}); empty for other optimizers
   * @param maxNorm the {@code scale_weight_norms} regularisation of this step; null when it is off
   */
  record StepMetrics(
      long step, int epoch, float loss, float averageLoss, List<Double> learningRates, double gradNorm,
      double seconds, List<Double> dTimesLearningRates, MaxNormMetrics maxNorm) implements CborSerializable {

    /** A step without Prodigy or max-norm figures. */
    public StepMetrics(long step, int epoch, float loss, float averageLoss, List<Double> learningRates,
        double gradNorm, double seconds) {
      this(step, epoch, loss, averageLoss, learningRates, gradNorm, seconds, List.of(), null);
    }
  }

  /** {@code max_norm/keys_scaled}, {@code max_norm/average_key_norm}, {@code max_norm/max_key_norm}. */
  record MaxNormMetrics(int keysScaled, double averageKeyNorm, double maxKeyNorm) implements CborSerializable {}

  /** An epoch ended ({@code loss/epoch} of the reference). */
  record EpochCompleted(long atMillis, int epoch, long step, float averageLoss) implements RunEvent {}

  /** Which save rule produced a file. */
  enum SaveKind { EPOCH, STEP, FINAL, ON_REQUEST }

  /** A LoRA checkpoint is durable on disk. */
  record CheckpointSaved(
      long atMillis, SaveKind kind, long step, int epoch, String path, long size, String sha256)
      implements RunEvent {}

  /** A full training state (weights, optimizer, counters, data cursor) is durable on disk. */
  record StateSaved(
      long atMillis, SaveKind kind, long step, int epoch, String path, long size, String sha256)
      implements RunEvent {}

  /** An older file was removed by a save_last_n_* rule. */
  record FileRemoved(long atMillis, String path) implements RunEvent {}

  /**
   * The live post-hoc EMA file was brought up to date with one more checkpoint (persisted by {@link EmaMerger} in its
   * own journal, then reported to the supervisor).
   *
   * @param path the EMA LoRA ({@code {output_name}-ema.safetensors}); {@code size} and {@code sha256} are its bytes
   * @param step the global step of the checkpoint folded in, {@code checkpoint} its path
   * @param accumulator the file name (under {@link EmaMerger#ACCUMULATOR_DIR}) of the running float32 average after
   *     this fold, with its size and sha256: where the next fold starts from, also after a crash
   */
  record EmaUpdated(
      long atMillis, int checkpointsMerged, String path, long size, String sha256, long step, String checkpoint,
      String accumulator, long accumulatorSize, String accumulatorSha256) implements RunEvent {}

  record RunPaused(long atMillis, long step) implements RunEvent {}

  record RunContinued(long atMillis, long step) implements RunEvent {}

  record RunFinished(long atMillis, long steps, String finalPath) implements RunEvent {}

  /** The run stopped for a reason that cannot be retried; the last good state stays usable. */
  record RunFailed(long atMillis, long step, String reason) implements RunEvent {}
}
