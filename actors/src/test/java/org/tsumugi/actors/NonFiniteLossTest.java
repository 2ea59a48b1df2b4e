package org.tsumugi.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.actors.run.RunDirectory;

/**
 * A learning rate of 1e38 sends the LoRA weights to the edge of float32 after the first update, and a later step's
 * loss overflows: the run must fail naming that loss and step, and keep every state saved before it.
 */
class NonFiniteLossTest {
  private static final int MAX_STEPS = 30;

  @TempDir Path dir;

  @Test
  void nonFiniteLossFailsTheRunAndKeepsEveryStateSavedBeforeIt() throws Exception {
    Path runFile = TinyRun.prepare(dir, "learning_rate = 1e38", "max_train_steps = " + MAX_STEPS,
        "save_every_n_steps = 1", "save_state = true");
    List<RunEvent> published = Collections.synchronizedList(new ArrayList<>());
    // a slow sink still has events to take when the run ends; it must be given RunFailed all the same
    RunOutcome.Failed failed = assertInstanceOf(RunOutcome.Failed.class,
        TinyRun.start(runFile, control -> List.of(new SlowSink(published))));

    RunDirectory run = TinyRun.directory(runFile);
    List<RunEvent> events = LedgerReplay.events(run, "tiny");
    RunLedger ledger = LedgerReplay.ledger(events);
    long lastGood = ledger.lastStep();
    assertTrue(lastGood >= 1 && lastGood < MAX_STEPS, "steps recorded: " + lastGood);
    assertTrue(failed.reason().matches("loss is (NaN|-?Infinity) at step " + (lastGood + 1) + " \\(.*"),
        failed.reason());
    assertEquals(lastGood, failed.step());

    RunEvent.RunFailed recorded = assertInstanceOf(RunEvent.RunFailed.class, events.get(events.size() - 1));
    assertEquals(failed.reason(), recorded.reason());
    assertEquals(lastGood, recorded.step());
    assertEquals(recorded, published.get(published.size() - 1), "the sinks' last event");

    SortedSet<String> expected = new TreeSet<>();
    for (long step = 1; step <= lastGood; step++) {
      expected.add(String.format(Locale.ROOT, "tiny-step%08d.safetensors", step));
      expected.add(String.format(Locale.ROOT, "tiny-step%08d-state", step));
    }
    assertEquals(expected, SavedFiles.names(run), "nothing is saved after the last finite step");
    assertEquals(lastGood, ledger.liveStates().get(0).step(), "the newest state is the last good step's");
    assertEquals(2 * lastGood, ledger.files().size());
    SavedFiles.assertIntact(ledger);
  }
}
