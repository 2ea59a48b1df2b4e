package org.tsumugi.actors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.tsumugi.actors.run.RunDirectory;
import org.tsumugi.actors.run.RunLock;
import org.tsumugi.actors.run.RunSpecs;
import org.tsumugi.actors.training.CacheBatches;
import org.tsumugi.actors.training.GeneratedRun;
import org.tsumugi.config.ConfigLoader;
import org.tsumugi.config.TsumugiConfig;

/**
 * A run small enough for tests: a generated 2-block Wan DiT of width 32, six cached items (the reference's cache
 * format) in batches of two (three batches an epoch), and a run file with the options a test adds.
 */
final class TinyRun {
  static final RunSpecs.Sources SOURCES = CacheBatches::open;

  static final long STARTED_AT = 1_700_000_000_000L;

  private TinyRun() {}

  /** Writes the model, the dataset's caches and config, and {@code dir/run.conf} with {@code options} last. */
  static Path prepare(Path dir, String... options) throws IOException {
    return GeneratedRun.writeTiny(dir, List.of(options));
  }

  /** Starts the run of {@code runFile} under its directory's lock and waits for its end. */
  static RunOutcome start(Path runFile, RunSupervisor.Sinks sinks) throws IOException, InterruptedException {
    TsumugiConfig config = ConfigLoader.load(runFile);
    try (RunLock lock = RunLock.acquire(new RunDirectory(config.save().outputDir()))) {
      return RunLauncher.run(RunSpecs.start(config, runFile, List.of(), STARTED_AT, SOURCES), sinks);
    }
  }

  /** Continues the run in {@code dir} under its lock and waits for its end. */
  static RunOutcome resume(RunDirectory dir, RunSupervisor.Sinks sinks) throws IOException, InterruptedException {
    try (RunLock lock = RunLock.acquire(dir)) {
      return RunLauncher.run(RunSpecs.resume(dir, SOURCES), sinks);
    }
  }

  /** The run directory of {@code runFile}'s run. */
  static RunDirectory directory(Path runFile) throws IOException {
    return new RunDirectory(ConfigLoader.load(runFile).save().outputDir());
  }
}
