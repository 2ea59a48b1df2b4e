package org.tsumugi.actors.run;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.tsumugi.actors.training.BatchSource;
import org.tsumugi.config.ConfigLoader;
import org.tsumugi.config.TsumugiConfig;
import org.tsumugi.config.dataset.DatasetConfig;

/**
 * Builds the {@link RunSpec} of a new or resumed run. The caller holds the run directory's {@link RunLock} before a
 * launch is recorded or read.
 */
public final class RunSpecs {

  /** Opens a run's batches from its options and dataset config. */
  @FunctionalInterface
  public interface Sources {
    BatchSource open(TsumugiConfig config, DatasetConfig dataset) throws IOException;
  }

  private RunSpecs() {}

  /**
   * A new run: draws the seed if the options leave it unset, records the launch (run file copy, overrides, seed, start
   * time) in the run directory.
   *
   * @param startedAtMillis the run's start time (what its LoRA metadata will show)
   */
  public static RunSpec start(TsumugiConfig config, Path runFile, List<String> overrides, long startedAtMillis,
      Sources sources) throws IOException {
    RunDirectory dir = new RunDirectory(config.save().outputDir());
    long seed = config.training().seed().orElseGet(RunSpecs::drawSeed);
    Launch launch = Launch.record(dir, runFile, overrides, seed, startedAtMillis);
    return build(config, dir, launch, RunSpec.Mode.START, sources);
  }

  /** Continues the run in {@code dir} under the options it was launched with. */
  public static RunSpec resume(RunDirectory dir, Sources sources) throws IOException {
    Launch launch = Launch.read(dir);
    TsumugiConfig config = ConfigLoader.load(launch.runFilePath(dir), launch.overrides().toArray(String[]::new));
    return build(config, dir, launch, RunSpec.Mode.RESUME, sources);
  }

  /** Continues the run in {@code dir} under options given again (they must resolve to the same run). */
  public static RunSpec resume(RunDirectory dir, TsumugiConfig config, Sources sources) throws IOException {
    return build(config, dir, Launch.read(dir), RunSpec.Mode.RESUME, sources);
  }

  private static RunSpec build(TsumugiConfig config, RunDirectory dir, Launch launch, RunSpec.Mode mode,
      Sources sources) throws IOException {
    TsumugiConfig seeded = ResolvedConfig.withSeed(config, config.training().seed().orElse(launch.seed()));
    DatasetConfig dataset = DatasetConfig.load(seeded.datasetConfig());
    return new RunSpec(seeded, dataset, sources.open(seeded, dataset), dir, launch.startedAtMillis(),
        ResolvedConfig.of(seeded, dataset), mode);
  }

  /** The reference draws random.randint(0, 2**32) when seed is unset; Tsumugi draws below 2^32 (numpy's range). */
  private static long drawSeed() {
    return new SecureRandom().nextLong() >>> 32;
  }
}
