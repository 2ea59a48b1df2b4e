package org.tsumugi.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.actors.run.RunDirectory;

/**
 * A save that cannot be written stops the run with the reason, and leaves every earlier save as recorded. The fault is
 * real and needs no privileges (permission bits do not stop root): a directory already holds the name of the third
 * step checkpoint.
 */
class SaveFailureTest {
  private static final String BLOCKED = "tiny-step00000006.safetensors";

  @TempDir Path dir;

  @Test
  void aSaveThatCannotBeWrittenFailsTheRunAndKeepsEverySaveBeforeIt() throws Exception {
    Path runFile = TinyRun.prepare(dir, "max_train_steps = 12", "save_every_n_steps = 2", "save_state = true");
    RunDirectory run = TinyRun.directory(runFile);
    Path blocked = Files.createDirectories(run.resolve(BLOCKED));
    Files.writeString(blocked.resolve("notes.txt"), "not the run's");
    List<RunEvent> published = Collections.synchronizedList(new ArrayList<>());

    RunOutcome.Failed failed = assertInstanceOf(RunOutcome.Failed.class,
        TinyRun.start(runFile, control -> List.of(published::add)));
    assertTrue(failed.reason().startsWith("cannot save " + blocked + ": "), failed.reason());
    assertTrue(failed.reason().contains("a directory"), failed.reason());

    List<RunEvent> events = LedgerReplay.events(run, "tiny");
    RunEvent.RunFailed recorded = assertInstanceOf(RunEvent.RunFailed.class, events.get(events.size() - 1));
    assertEquals(failed.reason(), recorded.reason());
    assertEquals(recorded, published.get(published.size() - 1), "the sinks' last event");
    RunLedger ledger = LedgerReplay.ledger(events);
    assertTrue(ledger.lastStep() >= 6, "the failed save came after step 6; recorded " + ledger.lastStep());

    assertEquals(Set.of("tiny-step00000002.safetensors", "tiny-step00000002-state/state.safetensors",
        "tiny-step00000004.safetensors", "tiny-step00000004-state/state.safetensors"),
        relative(run, ledger.files().keySet()), "recorded saves");
    assertEquals(Set.of("tiny-step00000002.safetensors", "tiny-step00000002-state", "tiny-step00000004.safetensors",
        "tiny-step00000004-state", BLOCKED), SavedFiles.names(run), "nothing is saved after the failed save");
    assertEquals(List.of(), SavedFiles.temporaryFiles(run));
    assertEquals("not the run's", Files.readString(blocked.resolve("notes.txt")));
    SavedFiles.assertIntact(ledger);
  }

  private static Set<String> relative(RunDirectory run, Set<String> paths) {
    Set<String> names = new TreeSet<>();
    paths.forEach(p -> names.add(run.outputDir().relativize(Path.of(p)).toString()));
    return names;
  }
}
