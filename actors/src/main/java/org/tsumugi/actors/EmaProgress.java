package org.tsumugi.actors;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tsumugi.persistence.checkpoint.StoredFile;

/**
 * The live EMA as its journal records it: the checkpoints folded in (in order), the step of the last one, and the
 * accumulator the next fold starts from (with the size and sha256 it had when written).
 */
record EmaProgress(List<String> checkpoints, long lastStep, Optional<StoredFile> accumulator, String output) {
  /** {@link #lastStep} before anything is folded. */
  static final long NO_STEP = -1;

  EmaProgress {
    checkpoints = List.copyOf(checkpoints);
  }

  static EmaProgress empty() {
    return new EmaProgress(List.of(), NO_STEP, Optional.empty(), "");
  }

  int merged() {
    return checkpoints.size();
  }

  EmaProgress apply(RunEvent.EmaUpdated event, EmaFiles files) {
    if (event.checkpointsMerged() != merged() + 1) {
      throw new IllegalStateException("EMA journal out of order: event " + event.checkpointsMerged()
          + " checkpoints merged after " + merged());
    }
    List<String> folded = new ArrayList<>(checkpoints);
    folded.add(event.checkpoint());
    StoredFile accumulator = new StoredFile(files.accumulator(event.accumulator()), event.accumulatorSize(),
        event.accumulatorSha256());
    return new EmaProgress(folded, event.step(), Optional.of(accumulator), event.path());
  }
}
