package org.tsumugi.actors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tsumugi.actors.run.RunDirectory;
import org.tsumugi.actors.run.RunLock;
import org.tsumugi.actors.run.RunSpecs;
import org.tsumugi.actors.training.CacheBatches;
import org.tsumugi.actors.training.GeneratedModel;
import org.tsumugi.config.ConfigLoader;
import org.tsumugi.config.TsumugiConfig;
import org.tsumugi.engine.data.LatentGrid;
import org.tsumugi.engine.data.SyntheticDataset;
import org.tsumugi.engine.data.SyntheticDatasetSpec;
import org.tsumugi.engine.model.wan.WanConfig;

/**
 * A run small enough for tests: a generated 2-block Wan DiT of width 32, six cached items (the reference's cache
 * format) in batches of two (three batches an epoch), and a run file with the options a test adds.
 */
final class TinyRun {
  static final WanConfig MODEL = new WanConfig(32, 64, 32, 32, 16, 16, 16, 2, 2, 1e-6f, false);

  static final RunSpecs.Sources SOURCES = CacheBatches::open;

  static final long STARTED_AT = 1_700_000_000_000L;

  private TinyRun() {}

  /** Writes the model, the dataset's caches and config, and {@code dir/run.conf} with {@code options} last. */
  static Path prepare(Path dir, String... options) throws IOException {
    Path model = GeneratedModel.write(dir.resolve("model"), MODEL, 11);
    Path dataset = SyntheticDataset.write(dir.resolve("data"),
        new SyntheticDatasetSpec(6, new LatentGrid(1, 4, 4), MODEL.textDim(), MODEL.textLen(), 2, 1, 5));
    List<String> lines = new ArrayList<>(List.of(
        "dit = \"" + model + "\"",
        "dataset_config = \"" + dataset + "\"",
        "output_dir = \"" + dir.resolve("out") + "\"",
        "output_name = \"tiny\"",
        "network_dim = 4",
        "learning_rate = 1e-3",
        "seed = 42"));
    lines.addAll(List.of(options));
    return Files.writeString(dir.resolve("run.conf"), String.join("\n", lines) + "\n");
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
