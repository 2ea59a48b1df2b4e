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
      List<Double> resident = new ArrayList<>();
      for (int i = 0; i < s.warmup() + s.steps(); i++) {
        long start = System.nanoTime();
        double cpuStart = ProcessMemory.cpuSeconds();
        float loss;
        try (NDManager stepManager = manager.newSubManager()) {
          loss = step.accumulate(batch(stepManager, config), i).loss();
          step.update();
        }
        NativeHeap.trim(); // as the trainer does after every optimizer step
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = ProcessMemory.cpuSeconds() - cpuStart;
        boolean warm = i >= s.warmup();
        if (warm) {
          timed += seconds;
          cpu += cpuSeconds;
        }
        resident.add(ProcessMemory.residentMiB());
        out.printf("step %3d %s %.3f s  (%.1f CPU-s)  loss %.4f  RSS %.0f MiB%s%n", i + 1, warm ? "     " : "(warm)",
            seconds, cpuSeconds, loss, resident.get(i), heapFigures());
      }
      double perStep = timed / s.steps();
      double achieved = flops / perStep / 1e9;
      out.printf("mean step %.3f s | %.0f tokens/s | %.1f GFLOP/s = %.0f%% of the dense matmul rate | peak RSS %.0f MiB%n",
          perStep, s.batch() * tokens / perStep, achieved, 100 * achieved / matmul, ProcessMemory.peakResidentMiB());
      out.printf("CPU time %.1f s per step (%.2f cores busy on average)%n", cpu / s.steps(), cpu / timed);
      if (resident.size() >= 10) {
        out.printf("RSS between steps: step 10 %.0f MiB, step %d %.0f MiB (%+.0f MiB)%n", resident.get(9),
            resident.size(), resident.get(resident.size() - 1), resident.get(resident.size() - 1) - resident.get(9));
      }
    }
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
