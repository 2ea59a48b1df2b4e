package org.tsumugi.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.actors.run.RunDirectory;
import org.tsumugi.actors.training.SaveNames;

/**
 * A resumed run skips a newest state whose file fails verification (content changed, or missing) with a warning naming
 * it, and continues from the state before it.
 */
class CorruptStateResumeTest {
  private static final int EVERY = 2;

  @TempDir Path dir;

  @Test
  void aNewestStateWithChangedBytesIsSkippedWithAWarningAndTheOneBeforeItUsed() throws Exception {
    RunDirectory run = stoppedRun();
    long newest = newestState(run);
    Path file = stateFile(run, newest);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long middle = f.length() / 2;
      f.seek(middle);
      int b = f.read();
      f.seek(middle);
      f.write(b ^ 0xff);
    }
    assertResumedFromTheStateBefore(run, newest, "skipping state at step " + newest + ": refusing " + file
        + ": sha256 is ");
  }

  @Test
  void aMissingNewestStateIsSkippedWithAWarningAndTheOneBeforeItUsed() throws Exception {
    RunDirectory run = stoppedRun();
    long newest = newestState(run);
    Path file = stateFile(run, newest);
    Files.delete(file);
    assertResumedFromTheStateBefore(run, newest, "skipping state at step " + newest + ": refusing " + file
        + ": the file is missing");
  }

  private static void assertResumedFromTheStateBefore(RunDirectory run, long newest, String warning)
      throws Exception {
    RunOutcome outcome;
    List<String> warnings;
    try (WarningLog log = WarningLog.capture()) {
      outcome = TinyRun.resume(run, control -> List.of());
      warnings = log.warnings();
    }
    RunOutcome.Finished finished = assertInstanceOf(RunOutcome.Finished.class, outcome);
    assertEquals(newest - EVERY, finished.fromStep());
    assertTrue(warnings.stream().anyMatch(w -> w.startsWith(warning)), "expected a warning starting with ["
        + warning + "] among " + warnings);
    SavedFiles.assertIntact(LedgerReplay.ledger(LedgerReplay.events(run, "tiny")));
  }

  /** A run stopped after a save that followed its first saved state: it holds at least two states. */
  private RunDirectory stoppedRun() throws IOException, InterruptedException {
    // Long enough for the stop to land on a later save, however long the first one takes (saves are paced).
    Path runFile = TinyRun.prepare(dir, "max_train_steps = 40", "save_every_n_steps = " + EVERY,
        "save_state = true");
    AtomicBoolean asked = new AtomicBoolean();
    RunOutcome.Stopped stopped = assertInstanceOf(RunOutcome.Stopped.class, TinyRun.start(runFile,
        control -> List.of(event -> {
          if (event instanceof RunEvent.StateSaved && !asked.getAndSet(true)) {
            control.request(RunControl.Request.STOP_AFTER_NEXT_SAVE);
          }
        })));
    assertTrue(stopped.step() >= 2 * EVERY, "stopped at step " + stopped.step());
    return TinyRun.directory(runFile);
  }

  private static long newestState(RunDirectory run) throws Exception {
    List<RunEvent.StateSaved> states = LedgerReplay.ledger(LedgerReplay.events(run, "tiny")).liveStates();
    assertTrue(states.size() >= 2, "states " + states);
    assertEquals(states.get(0).step() - EVERY, states.get(1).step());
    return states.get(0).step();
  }

  private static Path stateFile(RunDirectory run, long step) {
    return run.resolve(SaveNames.stateFile(new SaveNames("tiny").stepState(step)));
  }
}
