package org.tsumugi.actors;

import java.util.List;
import java.util.Optional;

/** How a run ended, as the command that started it learns it. */
public sealed interface RunOutcome {

  /**
   * @param fromStep the step this process started at (0 for a fresh run)
   * @param files every checkpoint and state of the run still present, in the order saved
   */
  record Finished(long steps, String finalPath, long fromStep, Optional<Float> firstLoss, Optional<Float> lastLoss,
      List<String> files) implements RunOutcome {}

  /** Stopped on request after a save; resumable. */
  record Stopped(long step) implements RunOutcome {}

  /** Ended by a failure that cannot be retried; the last saved state is usable. */
  record Failed(long step, String reason) implements RunOutcome {}

  /** Not started: the run directory or the options do not allow it. */
  record Refused(String reason) implements RunOutcome {}
}
