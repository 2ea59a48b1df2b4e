package org.tsumugi.ops;

import java.util.concurrent.Callable;
import org.tsumugi.engine.tensor.ProcessMemory;
import org.tsumugi.ops.bench.StepBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tsumugi bench}: benchmarks that print figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print figures.",
    subcommands = {BenchCommand.Step.class, BenchCommand.Ema.class, BenchCommand.Pipeline.class,
      org.tsumugi.ops.bench.MemoryBenchmark.class})
final class BenchCommand {

  /** {@code bench step}: training-step throughput on a generated Wan-architecture model. */
  @Command(name = "step", mixinStandardHelpOptions = true,
      description = "Time LoRA training steps on a generated Wan model; print step time, tokens/s, GFLOP/s and the "
          + "machine's dense float32 matmul rate.")
  static final class Step implements Callable<Integer> {
    @Option(names = "--task", defaultValue = "t2v-1.3B", description = "Architecture preset (default ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--blocks", defaultValue = "4", description = "Blocks of the preset to keep (default ${DEFAULT-VALUE}).")
    int blocks;

    @Option(names = "--frames", defaultValue = "1", description = "Latent frames (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--latent_size", defaultValue = "32", description = "Latent height and width (default ${DEFAULT-VALUE}).")
    int latentSize;

    @Option(names = "--context", defaultValue = "512", description = "Text rows per sample (default ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--rank", defaultValue = "32", description = "LoRA rank on all default targets (default ${DEFAULT-VALUE}).")
    int rank;

    @Option(names = "--batch", defaultValue = "1", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--steps", defaultValue = "10", description = "Timed steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Override
    public Integer call() {
      new StepBenchmark(new StepBenchmark.Settings(task, blocks, frames, latentSize, context, rank, batch, warmup,
          steps)).run(System.out);
      return 0;
    }
  }

  /** {@code bench ema}: post-hoc EMA merge throughput against the machine's sequential read rate. */
  @Command(name = "ema", mixinStandardHelpOptions = true,
      description = "Merge synthetic LoRA checkpoints with post-hoc EMA; print GB/s of input next to the sequential "
          + "read rate of the same files.")
  static final class Ema implements Callable<Integer> {
    @Option(names = "--files", defaultValue = "10", description = "Checkpoints to merge (default ${DEFAULT-VALUE}).")
    int files;

    @Option(names = "--mb_per_file", defaultValue = "200", description = "Size of each (default ${DEFAULT-VALUE} MB).")
    long megabytes;

    @Option(names = "--dir", defaultValue = "bench-ema", description = "Working directory (default ${DEFAULT-VALUE}).")
    java.nio.file.Path dir;

    @Override
    public Integer call() throws java.io.IOException {
      org.tsumugi.ops.bench.AnonymousMemoryPeak peak = org.tsumugi.ops.bench.AnonymousMemoryPeak.start();
      org.tsumugi.engine.ema.EmaBenchmark.Report r;
      try {
        r = org.tsumugi.engine.ema.EmaBenchmark.run(dir, files, megabytes * 1_000_000L);
      } finally {
        peak.stop();
      }
      System.out.printf(java.util.Locale.ROOT,
          "bench ema: %d files, %.2f GB of input%nsequential read: %.2f GB/s (%.2f s)%nmerge: %.2f GB/s of input "
              + "(%.2f s), %.0f%% of the read rate%npeak anonymous memory (heap and native, without mapped file pages) "
              + "%.0f MiB; peak RSS %.0f MiB%n",
          r.files(), r.inputBytes() / 1e9, r.readGbPerSecond(), r.readTime().toMillis() / 1e3, r.mergeGbPerSecond(),
          r.mergeTime().toMillis() / 1e3, 100 * r.mergeGbPerSecond() / r.readGbPerSecond(), peak.maxMiB(),
          ProcessMemory.peakResidentMiB());
      return 0;
    }
  }

  /** {@code bench pipeline}: the actor pipeline's cost against the engine step in a plain loop. */
  @Command(name = "pipeline", mixinStandardHelpOptions = true,
      description = "Time the same training steps in a plain loop and as a real run through the actors (with saves "
          + "every few steps); print the pipeline's overhead and the cost of steps that overlap a save.")
  static final class Pipeline implements Callable<Integer> {
    @Option(names = "--steps", defaultValue = "30", description = "Timed steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--save_every", defaultValue = "5", description = "save_every_n_steps of the run (default "
        + "${DEFAULT-VALUE}).")
    int saveEvery;

    @Option(names = "--dir", defaultValue = "bench-pipeline", description = "Working directory (default "
        + "${DEFAULT-VALUE}).")
    java.nio.file.Path dir;

    @Override
    public Integer call() throws java.io.IOException, InterruptedException {
      new org.tsumugi.ops.bench.PipelineBenchmark(new org.tsumugi.ops.bench.PipelineBenchmark.Settings(steps, warmup,
          saveEvery, dir)).run(System.out);
      return 0;
    }
  }
}
