package org.tsumugi.ops;

import java.util.concurrent.Callable;
import org.tsumugi.ops.bench.StepBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tsumugi bench}: benchmarks that print figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print figures.",
    subcommands = {BenchCommand.Step.class})
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
}
