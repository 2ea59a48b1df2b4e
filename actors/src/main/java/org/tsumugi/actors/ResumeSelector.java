package org.tsumugi.actors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tsumugi.actors.run.RunDirectory;
import org.tsumugi.engine.train.TrainingState;
import org.tsumugi.engine.train.TrainingStateException;
import org.tsumugi.persistence.checkpoint.CheckpointStore;
import org.tsumugi.persistence.checkpoint.CheckpointVerificationException;
import org.tsumugi.persistence.checkpoint.StoredFile;

/**
 * Picks the state a resumed run continues from: the newest state the ledger recorded whose file still has the recorded
 * size and sha256 and was saved under the same options. A state that fails is skipped with a warning and the one
 * before it is tried; with none left the run starts over from step 0 (which, every draw being keyed by the step,
 * trains exactly as the first attempt did).
 */
final class ResumeSelector {

  record ResumePoint(RunEvent.StateSaved saved, TrainingState state) {}

  record Choice(Optional<ResumePoint> point, List<String> warnings) {}

  private ResumeSelector() {}

  /** Blocking: hashes state files. */
  static Choice choose(RunLedger ledger, RunDirectory directory, String configSha256) {
    CheckpointStore store = new CheckpointStore(directory.outputDir());
    List<String> warnings = new ArrayList<>();
    for (RunEvent.StateSaved saved : ledger.liveStates()) {
      StoredFile file = new StoredFile(Path.of(saved.path()), saved.size(), saved.sha256());
      try {
        store.verify(file);
        TrainingState state = TrainingState.read(file.path());
        if (!state.configSha256().equals(configSha256)) {
          warnings.add("skipping state " + saved.path() + ": it was saved under other options");
          continue;
        }
        return new Choice(Optional.of(new ResumePoint(saved, state)), warnings);
      } catch (CheckpointVerificationException | TrainingStateException e) {
        warnings.add("skipping state at step " + saved.step() + ": " + e.getMessage());
      } catch (IOException | RuntimeException e) {
        warnings.add("skipping state " + saved.path() + ": cannot be read: " + e);
      }
    }
    return new Choice(Optional.empty(), warnings);
  }
}
