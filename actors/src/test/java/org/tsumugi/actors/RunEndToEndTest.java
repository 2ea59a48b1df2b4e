package org.tsumugi.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.actors.run.RunDirectory;
import org.tsumugi.actors.run.RunLock;
import org.tsumugi.actors.run.RunSpec;
import org.tsumugi.actors.run.RunSpecs;
import org.tsumugi.config.ConfigLoader;
import org.tsumugi.config.TsumugiConfig;

class RunEndToEndTest {
  @TempDir Path dir;

  @Test
  void trainsAndSavesEveryFileTheRulesName() throws Exception {
    Path runFile = TinyRun.prepare(dir, "max_train_epochs = 3", "save_every_n_epochs = 1", "save_state = true");
    TsumugiConfig config = ConfigLoader.load(runFile);
    RunDirectory run = new RunDirectory(config.save().outputDir());
    RunOutcome outcome;
    try (RunLock lock = RunLock.acquire(run)) {
      RunSpec spec = RunSpecs.start(config, runFile, List.of(), 1_700_000_000_000L, TinyRun.SOURCES);
      outcome = RunLauncher.run(spec, control -> List.of());
    }
    RunOutcome.Finished finished = assertInstanceOf(RunOutcome.Finished.class, outcome);
    assertEquals(9, finished.steps());
    assertTrue(Files.isRegularFile(run.resolve("tiny.safetensors")));
    assertTrue(Files.isRegularFile(run.resolve("tiny-000001.safetensors")));
    assertTrue(Files.isRegularFile(run.resolve("tiny-000002.safetensors")));
    assertTrue(Files.isRegularFile(run.resolve("tiny-000002-state/state.safetensors")));
  }
}
