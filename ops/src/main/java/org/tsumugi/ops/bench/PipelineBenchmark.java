package org.tsumugi.ops.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.actors.RunLauncher;
import org.tsumugi.actors.RunOutcome;
import org.tsumugi.actors.run.RunDirectory;
import org.tsumugi.actors.run.RunLock;
import org.tsumugi.actors.run.RunSpec;
import org.tsumugi.actors.run.RunSpecs;
import org.tsumugi.actors.training.CacheBatches;
import org.tsumugi.actors.training.GeneratedRun;
import org.tsumugi.actors.training.HostBatch;
import org.tsumugi.actors.training.TrainingSession;
import org.tsumugi.config.ConfigLoader;
import org.tsumugi.config.TsumugiConfig;
import org.tsumugi.config.dataset.DatasetConfig;
import org.tsumugi.engine.data.LatentGrid;
import org.tsumugi.engine.data.SyntheticDatasetSpec;
import org.tsumugi.engine.model.BlockFetcher;
import org.tsumugi.engine.model.wan.WanConfig;
import org.tsumugi.engine.train.StepPlan;

/**
 * What the actor pipeline costs: the same run's steps timed in a plain loop that calls the engine step on batches
 * already in memory, and as a real run (DataLoader, pinned Trainer, CheckpointWriter, ledger, Monitor) that also saves
 * a checkpoint and a state every few steps. Step time is wall time between step ends in both. A save overlaps the
 * steps from the one after its request to the one during which its last file (the state) was recorded: the ledger
 * writes the steps reported so far together with each save, so the run's own event order tells where a save ended.
 */
public final class PipelineBenchmark {

  /**
   * @param steps timed steps of each measurement, after {@code warmup} untimed ones
   * @param saveEvery the run's save_every_n_steps
   */
  public record Settings(int steps, int warmup, int saveEvery, Path workDir) {}

  static final WanConfig MODEL = new WanConfig(768, 2048, 256, 512, 64, 16, 16, 12, 4, 1e-6f, false);

  private final Settings settings;

  public PipelineBenchmark(Settings settings) {
    this.settings = settings;
  }

  public void run(PrintStream out) throws IOException, InterruptedException {
    int total = settings.warmup() + settings.steps();
    Path runFile = prepare(settings.workDir(), total);
    out.printf(Locale.ROOT, "bench pipeline: Wan %s, latent 1x32x32 (256 tokens), %d steps after %d warm-up, "
        + "saves every %d steps%n", MODEL, settings.steps(), settings.warmup(), settings.saveEvery());
    List<Double> plainFirst = plainLoop(runFile, total);
    ActorRun pipeline = actorRun(runFile, total);
    List<Double> plainSecond = plainLoop(runFile, total);
    List<Double> plain = new ArrayList<>(plainFirst);
    plain.addAll(plainSecond);
    List<Double> overlapping = new ArrayList<>();
    List<Double> firstAfterRequest = new ArrayList<>();
    List<Double> normal = new ArrayList<>();
    for (long step = settings.warmup() + 1; step <= total; step++) {
      double seconds = pipeline.seconds().get((int) step - 1);
      (pipeline.overlapsSave(step) ? overlapping : normal).add(seconds);
      if ((step - 1) % settings.saveEvery() == 0) {
        firstAfterRequest.add(seconds);
      }
    }
    double plainMean = mean(plain);
    double normalMean = mean(normal);
    out.printf(Locale.ROOT, "plain loop:      %.3f s/step (median %.3f; two rounds %.3f and %.3f)%n", plainMean,
        median(plain), mean(plainFirst), mean(plainSecond));
    out.printf(Locale.ROOT, "actor pipeline:  %.3f s/step (median %.3f) over %d steps that overlap no save%n",
        normalMean, median(normal), normal.size());
    out.printf(Locale.ROOT, "pipeline overhead: %+.1f%% (mean), %+.1f%% (median)%n",
        100 * (normalMean / plainMean - 1), 100 * (median(normal) / median(plain) - 1));
    out.printf(Locale.ROOT, "saves (LoRA + state): %d, each overlapping %.1f steps on average%n",
        pipeline.saves().size(), pipeline.saves().stream().mapToLong(SaveWindow::steps).average().orElse(0));
    out.printf(Locale.ROOT, "steps overlapping a save: %.3f s/step over %d steps, %+.1f%% against the others "
        + "(the first step after each save request alone: %+.1f%%)%n", mean(overlapping), overlapping.size(),
        100 * (mean(overlapping) / normalMean - 1), 100 * (mean(firstAfterRequest) / normalMean - 1));
  }

  /**
   * A save asked for at the end of step {@code requestedAfter} whose state file was recorded after the ledger had
   * step {@code lastStepBefore}: it overlapped the steps in between and the one running when it ended.
   */
  record SaveWindow(long requestedAfter, long lastStepBefore) {
    long steps() {
      return lastStepBefore - requestedAfter + 1;
    }

    boolean overlaps(long step) {
      return step > requestedAfter && step <= lastStepBefore + 1;
    }
  }

  /** Step seconds of a real run (index = step - 1) and its saves. */
  record ActorRun(List<Double> seconds, List<SaveWindow> saves) {
    boolean overlapsSave(long step) {
      return saves.stream().anyMatch(w -> w.overlaps(step));
    }
  }

  /** The model, the dataset and a run file, generated into {@code dir}; each measurement gets a fresh output dir. */
  private Path prepare(Path dir, int steps) throws IOException {
    return GeneratedRun.write(dir, MODEL, 3,
        new SyntheticDatasetSpec(8, new LatentGrid(1, 32, 32), MODEL.textDim(), MODEL.textLen(), 1, 1, 3), List.of(
            "output_name = \"bench\"",
            "network_dim = 32",
            "network_alpha = 32",
            "learning_rate = 1e-4",
            "max_train_steps = " + steps,
            "save_every_n_steps = " + settings.saveEvery(),
            "save_state = true",
            "seed = 1"));
  }

  private TsumugiConfig config(Path runFile, String output) {
    return ConfigLoader.load(runFile, "--output_dir", settings.workDir().resolve(output).toString());
  }

  /** The engine step called in a loop on this thread, on the run's batches read beforehand. */
  private List<Double> plainLoop(Path runFile, int total) throws IOException {
    TsumugiConfig config = config(runFile, "plain");
    CacheBatches source = CacheBatches.open(config, DatasetConfig.load(config.datasetConfig()));
    StepPlan plan = StepPlan.of(source.batchesPerEpoch(), 1, total, config.training().maxTrainEpochs());
    List<HostBatch> batches = new ArrayList<>();
    for (int k = 0; k < total; k++) {
      batches.add(source.load(k / source.batchesPerEpoch(), k % source.batchesPerEpoch()));
    }
    List<Double> seconds = new ArrayList<>();
    try (TrainingSession session = TrainingSession.open(new TrainingSession.Setup(config, plan,
        config.training().seed().getAsLong(), Optional.empty()), residency -> BlockFetcher.INLINE)) {
      long last = System.nanoTime();
      for (HostBatch batch : batches) {
        session.run(batch);
        long now = System.nanoTime();
        seconds.add((now - last) / 1e9);
        last = now;
      }
    }
    return seconds.subList(settings.warmup(), seconds.size());
  }

  /** The same steps as a real run, step times as its Trainer reports them, and where its saves ended. */
  private ActorRun actorRun(Path runFile, int total) throws IOException, InterruptedException {
    TsumugiConfig config = config(runFile, "pipeline-" + System.currentTimeMillis());
    List<RunEvent.StepMetrics> steps = new ArrayList<>();
    List<SaveWindow> saves = new ArrayList<>();
    RunOutcome outcome;
    try (RunLock lock = RunLock.acquire(new RunDirectory(config.save().outputDir()))) {
      RunSpec spec = RunSpecs.start(config, runFile, List.of(), System.currentTimeMillis(), CacheBatches::open);
      outcome = RunLauncher.run(spec, control -> List.of(event -> {
        synchronized (steps) {
          if (event instanceof RunEvent.StepsCompleted completed) {
            steps.addAll(completed.steps());
          } else if (event instanceof RunEvent.StateSaved saved && saved.step() < total) {
            saves.add(new SaveWindow(saved.step(), steps.get(steps.size() - 1).step()));
          }
        }
      }));
    }
    if (!(outcome instanceof RunOutcome.Finished)) {
      throw new IllegalStateException("the benchmark's run did not finish: " + outcome);
    }
    synchronized (steps) {
      return new ActorRun(steps.stream().map(RunEvent.StepMetrics::seconds).toList(), List.copyOf(saves));
    }
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted.length == 0 ? Double.NaN
        : (sorted[(sorted.length - 1) / 2] + sorted[sorted.length / 2]) / 2;
  }
}
