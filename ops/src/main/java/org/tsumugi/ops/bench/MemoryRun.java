package org.tsumugi.ops.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.tsumugi.actors.Prefetcher;
import org.tsumugi.config.LrSchedulerConfig;
import org.tsumugi.config.NetworkConfig;
import org.tsumugi.config.OptimizerConfig;
import org.tsumugi.config.TimestepConfig;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.model.BlockFetcher;
import org.tsumugi.engine.model.BlockResidency;
import org.tsumugi.engine.model.MemoryOptions;
import org.tsumugi.engine.model.TrainingExecutor;
import org.tsumugi.engine.model.wan.WanCheckpoint;
import org.tsumugi.engine.model.wan.WanConfig;
import org.tsumugi.engine.model.wan.WanLoraTargets;
import org.tsumugi.engine.model.wan.WanModel;
import org.tsumugi.engine.tensor.ProcessMemory;
import org.tsumugi.engine.train.SigmaDtype;
import org.tsumugi.engine.train.TrainBatch;
import org.tsumugi.engine.train.TrainStep;

/**
 * One memory configuration in this process (peak RSS is per process): load the model for the options, train a LoRA
 * for a few steps with the Prefetcher actor bringing streamed blocks in, and report times and memory.
 */
final class MemoryRun {

  /**
   * What one run measured; the first step is a warm-up.
   *
   * @param blockForwardMillis mean wall time of one block's forward over the timed steps
   * @param lora how the LoRA weights moved from their initial values over all steps
   */
  record Result(MemoryOptions options, double loadSeconds, List<StepClock.Step> steps, List<Float> losses,
      List<Double> gradNorms, double residentBeforeLoadMiB, double residentAfterLoadMiB, double peakMiB,
      double anonymousMiB, double fetchMillis, double blockForwardMillis, LoraChange.Moved lora, double loadBefore,
      double loadAfter) {

    String line() {
      return String.format(Locale.ROOT, "RESULT %s load_s=%.2f steps_s=%s cpu_s=%s runqueue_s=%s other_cpu_s=%s "
          + "waits_s=%s losses=%s grad_norms=%s rss_base_mib=%.0f rss_load_mib=%.0f peak_mib=%.0f anon_mib=%.0f "
          + "fetch_ms=%.1f block_fwd_ms=%.1f lora_changed=%d/%d lora_delta=%.4g loadavg=%.2f,%.2f",
          MemoryBenchmark.describe(options), loadSeconds, join(steps, StepClock.Step::wall),
          join(steps, StepClock.Step::compute), join(steps, StepClock.Step::runQueue),
          join(steps, StepClock.Step::otherThreads), join(steps, StepClock.Step::weightWait), join(losses, v -> v),
          join(gradNorms, v -> v), residentBeforeLoadMiB, residentAfterLoadMiB, peakMiB, anonymousMiB, fetchMillis,
          blockForwardMillis, lora.changed(), lora.tensors(), lora.norm(), loadBefore, loadAfter);
    }

    private static <T> String join(List<T> values, java.util.function.Function<T, ? extends Number> field) {
      List<String> parts = new ArrayList<>();
      values.forEach(v -> parts.add(String.format(Locale.ROOT, "%.6g", field.apply(v).doubleValue())));
      return String.join(",", parts);
    }
  }

  private MemoryRun() {}

  /** @param latents [1, 16, F, H, W] */
  static Result run(Path checkpoint, WanConfig config, MemoryOptions options, Shape latents, int contextRows,
      int steps) throws IOException {
    double loadBefore = loadAverage();
    double beforeLoad = ProcessMemory.residentMiB();
    long start = System.nanoTime();
    try (WanCheckpoint ckpt = WanCheckpoint.open(checkpoint, config);
        NDManager weights = NDManager.newBaseManager()) {
      WanModel model = ckpt.load(weights, options);
      double loadSeconds = (System.nanoTime() - start) / 1e9;
      double afterLoad = ProcessMemory.residentMiB();
      BlockResidency residency = model.weights().residency();
      try (Prefetching prefetching = Prefetching.start(residency)) {
        LoraNetwork lora = LoraNetwork.create(WanLoraTargets.of(model.weights()), NetworkConfig.defaults(), weights, 1);
        TrainingExecutor executor = (TrainingExecutor) options.executor(prefetching.fetcher(residency));
        TrainStep step = TrainStep.create(model, executor, lora,
            new TrainStep.Options(NetworkConfig.defaults(), OptimizerConfig.defaults(), LrSchedulerConfig.defaults(),
                TimestepConfig.defaults(), 1, 1000, 42, SigmaDtype.BFLOAT16), weights);
        List<StepClock.Step> clocks = new ArrayList<>();
        List<Float> losses = new ArrayList<>();
        List<Double> gradNorms = new ArrayList<>();
        LoraChange initial = LoraChange.of(lora);
        double warmForward = 0;
        long warmBlocks = 0;
        for (int k = 0; k <= steps; k++) {
          try (NDManager m = weights.newSubManager()) {
            TrainBatch batch = TrainBatch.textToVideo(gaussian(m, latents, k),
                List.of(gaussian(m, new Shape(contextRows, config.textDim()), 1000 + k)));
            StepClock before = StepClock.now(executor);
            losses.add(step.accumulate(batch, k).loss());
            gradNorms.add(step.update().gradNorm());
            clocks.add(StepClock.now(executor).since(before));
          }
          if (k == 0) {
            warmForward = executor.forwardBlockSeconds();
            warmBlocks = executor.forwardBlocks();
          }
        }
        double blockForwardMillis = 1e3 * (executor.forwardBlockSeconds() - warmForward)
            / Math.max(1, executor.forwardBlocks() - warmBlocks);
        return new Result(options, loadSeconds, clocks, losses, gradNorms, beforeLoad, afterLoad,
            ProcessMemory.peakResidentMiB(), ProcessMemory.anonymousMiB(), fetchMillis(residency), blockForwardMillis,
            initial.movedTo(lora), loadBefore, loadAverage());
      }
    }
  }

  /** The machine's one-minute load average (first field of /proc/loadavg), NaN if unknown. */
  private static double loadAverage() {
    try {
      return Double.parseDouble(java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The same batch in every configuration, so their losses can be compared. */
  private static NDArray gaussian(NDManager m, Shape shape, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI
          * random.nextDouble()));
    }
    return m.create(values, shape);
  }

  /**
   * Mean time to bring one streamed block in from its tier: the last two blocks sharing a slot, alternately (with
   * fp8 and swap, the last blocks are the swapped ones, read from disk; the others come from fp8 codes in memory).
   */
  private static double fetchMillis(BlockResidency residency) {
    List<Integer> streamed = residency.streamedBlocks();
    if (streamed.size() <= residency.slotCount()) {
      return 0;
    }
    int last = streamed.size() - 1;
    int rounds = 4;
    long t = System.nanoTime();
    for (int r = 0; r < rounds; r++) {
      residency.bringIn(streamed.get(r % 2 == 0 ? last : last - residency.slotCount()));
    }
    return (System.nanoTime() - t) / 1e6 / rounds;
  }

  /** An actor system holding the Prefetcher for one model, on a one-thread dispatcher of its own. */
  private record Prefetching(ActorSystem<Void> system, ActorRef<Prefetcher.Command> prefetcher)
      implements AutoCloseable {

    static Prefetching start(BlockResidency residency) {
      CompletableFuture<ActorRef<Prefetcher.Command>> spawned = new CompletableFuture<>();
      ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(context -> {
        spawned.complete(context.spawn(Prefetcher.create(residency), "prefetcher",
            Prefetcher.dispatcher(context.getSystem())));
        return Behaviors.empty();
      }), "bench-memory", ConfigFactory.parseString(Prefetcher.DISPATCHER_PATH + " { type = Dispatcher, "
          + "executor = thread-pool-executor, thread-pool-executor.fixed-pool-size = 1, throughput = 1 }"));
      try {
        return new Prefetching(system, spawned.get(30, TimeUnit.SECONDS));
      } catch (Exception e) {
        system.terminate();
        throw new IllegalStateException("the prefetcher did not start", e);
      }
    }

    BlockFetcher fetcher(BlockResidency residency) {
      return Prefetcher.fetcher(prefetcher, residency, system.scheduler(), Duration.ofMinutes(5));
    }

    @Override
    public void close() {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }
}
