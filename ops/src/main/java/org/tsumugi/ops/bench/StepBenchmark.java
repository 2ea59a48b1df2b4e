package org.tsumugi.ops.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.tsumugi.config.LrSchedulerConfig;
import org.tsumugi.config.NetworkConfig;
import org.tsumugi.config.OptimizerConfig;
import org.tsumugi.config.OptimizerType;
import org.tsumugi.config.TimestepConfig;
import org.tsumugi.config.TimestepSampling;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.model.BlockExecutor;
import org.tsumugi.engine.model.wan.WanConfig;
import org.tsumugi.engine.model.wan.WanFlops;
import org.tsumugi.engine.model.wan.WanLayout;
import org.tsumugi.engine.model.wan.WanLoraTargets;
import org.tsumugi.engine.model.wan.WanModel;
import org.tsumugi.engine.model.wan.WanWeights;
import org.tsumugi.engine.tensor.NativeHeap;
import org.tsumugi.engine.tensor.NativeHeapTrimmer;
import org.tsumugi.engine.tensor.ProcessMemory;
import org.tsumugi.engine.tensor.RandomTensorStore;
import org.tsumugi.engine.train.SigmaDtype;
import org.tsumugi.engine.train.TrainBatch;
import org.tsumugi.engine.train.TrainStep;

/**
 * Times full LoRA training steps (noise, timesteps, forward, backward, clipping, AdamW) on a generated model of a
 * Wan architecture and relates the achieved rate to the dense float32 matmul rate measured in the same process.
 */
public final class StepBenchmark {

  public record Settings(String task, int blocks, int frames, int latentSize, int contextRows, int rank, int batch,
      int warmup, int steps) {}

  private final Settings s;

  public StepBenchmark(Settings settings) {
    this.s = settings;
  }

  public void run(PrintStream out) {
    WanConfig config = WanConfig.Preset.forTask(s.task()).config().withLayers(s.blocks());
    long tokens = (long) s.frames() * (s.latentSize() / 2) * (s.latentSize() / 2);
    double flops = WanFlops.trainingStep(config, s.batch(), tokens, config.textLen(), s.rank());
    out.printf("bench step: %s, %d blocks, latent %dx%dx%d (%d tokens), %d context rows, LoRA rank %d, batch %d%n",
        s.task(), s.blocks(), s.frames(), s.latentSize(), s.latentSize(), tokens, s.contextRows(), s.rank(), s.batch());
    double matmul = MatmulRate.measure(2048, 8);
    out.printf("dense float32 matmul (2048x2048x2048): %.1f GFLOP/s%n", matmul);
    try (NDManager manager = NDManager.newBaseManager()) {
      WanModel model = new WanModel(WanWeights.load(
          new RandomTensorStore(WanLayout.expectedShapes(config), 1), manager, config));
      LoraNetwork lora = LoraNetwork.create(WanLoraTargets.of(model.weights()), network(), manager, 1);
      TrainStep step = TrainStep.create(model, BlockExecutor.PLAIN, lora, options(), manager);
      out.printf("model: %s, %d LoRA modules, %.1f GFLOP per step%n", config, lora.modules().size(), flops / 1e9);
      double timed = 0;
      double cpu = 0;
      List<Double> peaks = new ArrayList<>();
      List<Double> resident = new ArrayList<>();
      NativeHeapTrimmer heap = new NativeHeapTrimmer();
      List<Double> settled = new ArrayList<>();
      for (int i = 0; i < s.warmup() + s.steps(); i++) {
        ProcessMemory.resetPeak();
        long start = System.nanoTime();
        double cpuStart = ProcessMemory.cpuSeconds();
        float loss;
        try (NDManager stepManager = manager.newSubManager()) {
          loss = step.accumulate(batch(stepManager, config), i).loss();
          step.update();
        }
        peaks.add(ProcessMemory.peakResidentMiB());
        boolean trimmed = heap.afterStep(); // as the trainer does after every optimizer step
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = ProcessMemory.cpuSeconds() - cpuStart;
        boolean warm = i >= s.warmup();
        if (warm) {
          timed += seconds;
          cpu += cpuSeconds;
        }
        resident.add(ProcessMemory.residentMiB());
        if (i == 9 || i == s.warmup() + s.steps() - 1) {
          settled.add(settledResidentMiB());
        }
        out.printf("step %3d %s %.3f s  (%.1f CPU-s)  loss %.4f  peak RSS %.0f MiB, after %.0f MiB%s%s%n", i + 1,
            warm ? "     " : "(warm)", seconds, cpuSeconds, loss, peaks.get(i), resident.get(i),
            trimmed ? " (heap trimmed)" : "", heapFigures());
      }
      double perStep = timed / s.steps();
      double achieved = flops / perStep / 1e9;
      out.printf("mean step %.3f s | %.0f tokens/s | %.1f GFLOP/s = %.0f%% of the dense matmul rate | peak RSS %.0f MiB%n",
          perStep, s.batch() * tokens / perStep, achieved, 100 * achieved / matmul,
          max(peaks));
      out.printf("CPU time %.1f s per step (%.2f cores busy on average)%n", cpu / s.steps(), cpu / timed);
      out.printf("native heap trimmed %d times (each time the process had grown 5%% since the step after a trim)%n",
          heap.trims());
      if (peaks.size() >= 60) {
        // Trims make the step peaks a sawtooth, so compare its envelope early and late in the run.
        int n = peaks.size();
        int window = Math.min(50, (n - 10) / 2);
        List<Double> early = peaks.subList(10, 10 + window);
        List<Double> late = peaks.subList(n - window, n);
        out.printf("peak RSS of a step: steps 11-%d between %.0f and %.0f MiB, steps %d-%d between %.0f and %.0f MiB "
            + "(step 10: %.0f MiB, step %d: %.0f MiB)%n", 10 + window, min(early), max(early), n - window + 1, n,
            min(late), max(late), peaks.get(9), n, peaks.get(n - 1));
      }
      if (settled.size() == 2) {
        out.printf("RSS settled (after a full GC and a heap trim, outside the timed steps): step 10 %.0f MiB, step %d "
            + "%.0f MiB (%+.0f MiB)%n", settled.get(0), peaks.size(), settled.get(1), settled.get(1) - settled.get(0));
      }
    }
  }

  /**
   * Resident memory with nothing reclaimable left: a full GC frees the direct buffers of tensors made from Java arrays
   * (their cleaners run just after it), and a trim returns every free page of the C heap. Growth in this figure would
   * be memory the run really holds on to.
   */
  private static double settledResidentMiB() {
    System.gc();
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    NativeHeap.trim();
    return ProcessMemory.residentMiB();
  }

  private static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  private static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** Java heap committed and, on glibc, the native heap's chunks in use: where any growth would show. */
  private static String heapFigures() {
    String java = String.format(" | Java heap committed %.0f MiB", Runtime.getRuntime().totalMemory() / 1048576.0);
    return java + NativeHeap.usage()
        .map(u -> String.format(" | malloc in use %.0f MiB (+%.0f MiB mmapped)", u.inUse() / 1048576.0,
            u.mapped() / 1048576.0))
        .orElse("");
  }

  private TrainBatch batch(NDManager m, WanConfig c) {
    NDArray latents = m.randomNormal(new Shape(s.batch(), c.outDim(), s.frames(), s.latentSize(), s.latentSize()));
    List<NDArray> context = new ArrayList<>();
    for (int i = 0; i < s.batch(); i++) {
      context.add(m.randomNormal(new Shape(s.contextRows(), c.textDim())));
    }
    return TrainBatch.textToVideo(latents, context);
  }

  private NetworkConfig network() {
    return new NetworkConfig(s.rank(), s.rank(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
        List.of(), List.of(), OptionalDouble.empty(), Map.of(), Optional.empty());
  }

  private TrainStep.Options options() {
    TimestepConfig timesteps = TimestepConfig.defaults().withSampling(TimestepSampling.SHIFT);
    return new TrainStep.Options(network(), new OptimizerConfig(OptimizerType.ADAMW, 1e-4, Map.of(), 1.0),
        LrSchedulerConfig.defaults(), timesteps, 1, s.warmup() + s.steps(), 42, SigmaDtype.FLOAT32);
  }
}
