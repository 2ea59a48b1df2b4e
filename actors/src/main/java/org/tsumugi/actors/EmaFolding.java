package org.tsumugi.actors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tsumugi.config.PostHocEmaConfig;
import org.tsumugi.engine.ema.EmaAccumulator;
import org.tsumugi.engine.ema.EmaSchedule;
import org.tsumugi.engine.ema.EmaState;
import org.tsumugi.persistence.checkpoint.CheckpointStore;
import org.tsumugi.persistence.checkpoint.StoredFile;

/**
 * The file work of one live-EMA fold, run on the EmaMerger's blocking dispatcher: it reads only files whose size and
 * sha256 it verified, and writes only new accumulator names and the EMA LoRA, each atomically. Nothing here changes
 * what the journal records, so a crash at any point leaves the recorded accumulator valid.
 */
final class EmaFolding {
  private final EmaFiles files;
  private final EmaSchedule schedule;
  private final CheckpointStore store;

  EmaFolding(EmaFiles files, EmaSchedule schedule) {
    this.files = files;
    this.schedule = schedule;
    this.store = new CheckpointStore(files.outputDir());
  }

  /**
   * The β schedule of the live EMA. beta→beta2 moves over the planned number of checkpoints, as the offline merge
   * moves over the files it is given (reference/lora-and-ema.md §2 step 4); a constant β does not depend on the count.
   */
  static EmaSchedule schedule(PostHocEmaConfig config, int plannedCheckpoints) {
    if (config.sigmaRel().isPresent()) {
      return EmaSchedule.sigmaRel(config.sigmaRel().getAsDouble());
    }
    double beta2 = config.beta2().orElse(config.beta());
    if (beta2 == config.beta()) {
      return EmaSchedule.constant(config.beta());
    }
    // With one planned checkpoint no merge is planned; a second one merges with beta, as the offline merge of two.
    return EmaSchedule.interpolated(config.beta(), beta2, Math.max(2, plannedCheckpoints));
  }

  /**
   * Folds {@code fold}'s checkpoint into the average recorded by {@code progress} and rewrites the EMA LoRA.
   *
   * @return the event to persist; until it is, the new accumulator is a leftover that the next sweep removes
   * @throws org.tsumugi.persistence.checkpoint.CheckpointVerificationException if the checkpoint or the recorded
   *     accumulator is missing or differs from its recorded size and sha256
   * @throws org.tsumugi.engine.ema.EmaMergeException if the checkpoint does not fit the average (names, shapes,
   *     alphas) or lies beyond the planned β schedule
   */
  RunEvent.EmaUpdated fold(EmaProgress progress, EmaMerger.Fold fold) throws IOException {
    sweep(progress);
    Files.createDirectories(files.accumulatorDir());
    Path checkpoint = store.verify(fold.storedFile()).path();
    int merged = progress.merged() + 1;
    Path next = files.accumulator(files.accumulatorName(merged));
    EmaState state;
    if (progress.accumulator().isEmpty()) {
      state = EmaAccumulator.start(checkpoint, schedule, next);
    } else {
      StoredFile recorded = store.verify(progress.accumulator().get());
      state = EmaAccumulator.fold(EmaState.of(recorded.path(), progress.merged()), checkpoint, schedule, next);
    }
    EmaAccumulator.finish(state, schedule, checkpoint, files.output());
    StoredFile accumulator = EmaFiles.describe(next);
    StoredFile output = EmaFiles.describe(files.output());
    return new RunEvent.EmaUpdated(System.currentTimeMillis(), merged, output.path().toString(), output.size(),
        output.sha256(), fold.step(), fold.path(), next.getFileName().toString(), accumulator.size(),
        accumulator.sha256());
  }

  /** Removes what a crash left behind: accumulators the journal does not record, temporary files. */
  void sweep(EmaProgress progress) throws IOException {
    files.sweep(progress.accumulator().map(f -> f.path().getFileName().toString()));
  }

  /** Removes an accumulator that a persisted event has superseded. */
  void remove(StoredFile superseded) throws IOException {
    Files.deleteIfExists(superseded.path());
  }
}
