package org.tsumugi.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.actors.run.RunDirectory;
import org.tsumugi.actors.run.RunLock;
import org.tsumugi.actors.run.RunSpecs;
import org.tsumugi.config.ConfigLoader;
import org.tsumugi.config.TsumugiConfig;

/**
 * A run stopped after a save and resumed ends with the same files as the run uninterrupted, the LoRA files byte for
 * byte (states differ only in the options' hash, which holds the runs' different directories).
 */
class ResumeTest {
  private static final String[] OPTIONS = {"max_train_epochs = 3", "save_every_n_steps = 2", "save_state = true",
      "gradient_accumulation_steps = 2", "save_every_n_epochs = 1", "save_last_n_steps = 2"};

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.NEVER) Path dir;

  @Test
  void stoppedAndResumedRunWritesTheSameFilesAsTheUninterruptedRun() throws Exception {
    Path straight = Files.createDirectories(dir.resolve("straight"));
    RunOutcome.Finished reference = assertInstanceOf(RunOutcome.Finished.class,
        start(TinyRun.prepare(straight, OPTIONS), false));

    Path resumed = Files.createDirectories(dir.resolve("resumed"));
    Path runFile = TinyRun.prepare(resumed, OPTIONS);
    RunOutcome.Stopped stopped = assertInstanceOf(RunOutcome.Stopped.class, start(runFile, true));
    assertTrue(stopped.step() < reference.steps(), "stopped at step " + stopped.step());
    RunDirectory run = new RunDirectory(ConfigLoader.load(runFile).save().outputDir());
    RunOutcome.Finished finished;
    try (RunLock lock = RunLock.acquire(run)) {
      finished = assertInstanceOf(RunOutcome.Finished.class,
          RunLauncher.run(RunSpecs.resume(run, TinyRun.SOURCES), control -> List.of()));
    }
    assertEquals(stopped.step(), finished.fromStep());
    assertEquals(names(reference.files()), names(finished.files()));
    for (String name : names(reference.files()).stream().filter(n -> !n.contains("/")).toList()) {
      assertArrayEquals(Files.readAllBytes(straight.resolve("out").resolve(name)),
          Files.readAllBytes(resumed.resolve("out").resolve(name)), name + " differs");
    }
  }

  private static RunOutcome start(Path runFile, boolean stopEarly) throws IOException, InterruptedException {
    TsumugiConfig config = ConfigLoader.load(runFile);
    try (RunLock lock = RunLock.acquire(new RunDirectory(config.save().outputDir()))) {
      AtomicBoolean asked = new AtomicBoolean();
      return RunLauncher.run(RunSpecs.start(config, runFile, List.of(), 1_700_000_000_000L, TinyRun.SOURCES),
          control -> List.of(event -> {
            if (stopEarly && event instanceof RunEvent.StepsCompleted && !asked.getAndSet(true)) {
              control.request(RunControl.Request.STOP_AFTER_NEXT_SAVE);
            }
          }));
    }
  }

  private static List<String> names(List<String> paths) {
    return paths.stream().map(p -> Path.of(p).getParent().getFileName() + "/" + Path.of(p).getFileName())
        .map(n -> n.startsWith("out/") ? n.substring(4) : n).sorted().toList();
  }
}
