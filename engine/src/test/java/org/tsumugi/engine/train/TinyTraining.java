package org.tsumugi.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Random;
import org.tsumugi.config.LrSchedulerConfig;
import org.tsumugi.config.LrSchedulerType;
import org.tsumugi.config.NetworkConfig;
import org.tsumugi.config.OptimizerConfig;
import org.tsumugi.config.StepCount;
import org.tsumugi.config.TimestepConfig;
import org.tsumugi.engine.lora.LoraModule;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.model.BlockExecutor;
import org.tsumugi.engine.model.wan.WanConfig;
import org.tsumugi.engine.model.wan.WanGoldenTestConfig;
import org.tsumugi.engine.model.wan.WanInputs;
import org.tsumugi.engine.model.wan.WanLayout;
import org.tsumugi.engine.model.wan.WanLoraTargets;
import org.tsumugi.engine.model.wan.WanModel;
import org.tsumugi.engine.model.wan.WanWeights;
import org.tsumugi.engine.tensor.RandomTensorStore;

/**
 * A generated two-block Wan model (the golden tiny model's sizes, weights from {@link RandomTensorStore}), a generated
 * text-to-video batch, and training steps on it; plus an independent recomputation of a micro-step's prediction and
 * target from the step's own draws.
 */
final class TinyTraining {
  static final WanConfig CONFIG = WanGoldenTestConfig.TINY;
  static final long SEED = 17;
  static final NetworkConfig NETWORK = new NetworkConfig(4, 2, OptionalDouble.empty(), OptionalDouble.empty(),
      OptionalDouble.empty(), List.of(), List.of(), OptionalDouble.empty(), Map.of(), Optional.empty());

  private TinyTraining() {}

  static WanModel model(NDManager manager) {
    return new WanModel(WanWeights.load(new RandomTensorStore(WanLayout.expectedShapes(CONFIG), 3), manager, CONFIG));
  }

  /** Two samples of latents [2, 16, 2, 4, 4] and text rows, drawn from {@code seed}. */
  static TrainBatch batch(NDManager m, long seed) {
    Random random = new Random(seed);
    NDArray latents = m.create(gaussian(random, 2 * CONFIG.inDim() * 2 * 4 * 4, 1.0),
        new Shape(2, CONFIG.inDim(), 2, 4, 4));
    List<NDArray> context = List.of(m.create(gaussian(random, 5 * CONFIG.textDim(), 1.0), new Shape(5,
        CONFIG.textDim())), m.create(gaussian(random, 7 * CONFIG.textDim(), 1.0), new Shape(7, CONFIG.textDim())));
    return TrainBatch.textToVideo(latents, context);
  }

  /**
   * A LoRA whose ups are non-zero (a fresh LoRA's are zero, which makes ΔW and most gradients vanish); module i's ups
   * are scaled by {@code upScale(i)}.
   */
  static LoraNetwork lora(WanModel model, NDManager m, java.util.function.IntToDoubleFunction upScale) {
    LoraNetwork lora = LoraNetwork.create(WanLoraTargets.of(model.weights()), NETWORK, m, SEED);
    List<LoraModule> modules = lora.modules();
    for (int i = 0; i < modules.size(); i++) {
      LoraModule mod = modules.get(i);
      mod.up().set(gaussian(new Random(100 + i), mod.up().size(), upScale.applyAsDouble(i)));
    }
    return lora;
  }

  /** A step over 10 planned updates with {@link #NETWORK}'s options. */
  static TrainStep step(WanModel model, LoraNetwork lora, OptimizerConfig optimizer, LrSchedulerConfig schedule,
      TimestepConfig timesteps, int gradientAccumulation, NDManager m) {
    return step(model, lora, NETWORK, optimizer, schedule, timesteps, gradientAccumulation, m);
  }

  static TrainStep step(WanModel model, LoraNetwork lora, NetworkConfig network, OptimizerConfig optimizer,
      LrSchedulerConfig schedule, TimestepConfig timesteps, int gradientAccumulation, NDManager m) {
    TrainStep.Options o = new TrainStep.Options(network, optimizer, schedule, timesteps, gradientAccumulation, 10,
        SEED, SigmaDtype.FLOAT32);
    return TrainStep.create(model, BlockExecutor.PLAIN, lora, o, m);
  }

  static LrSchedulerConfig schedule(LrSchedulerType type) {
    return new LrSchedulerConfig(type, StepCount.zero(), StepCount.zero(), 1, 1.0, OptionalInt.empty(),
        OptionalDouble.empty(), Map.of());
  }

  /** The prediction, velocity target and noise levels of micro-step {@code microStep}, recomputed outside the step. */
  record Recomputed(NDArray pred, NDArray target, float[] sigmas, float[] modelTimesteps) {}

  static Recomputed recompute(TrainStep step, TrainBatch batch, long microStep) {
    TrainStep.Setup s = step.setup();
    NDArray x0 = batch.latents();
    Shape shape = x0.getShape();
    TimestepSampler.Sample t = s.sampler().sample(batch.size(), microStep, (int) shape.get(3), (int) shape.get(4),
        s.random(), Optional.empty(), 0);
    int perSample = (int) (shape.size() / batch.size());
    float[] noise = new float[(int) shape.size()];
    for (int i = 0; i < batch.size(); i++) {
      s.random().stream(RandomPurpose.NOISE, microStep, i).fillGaussian(noise, i * perSample, perSample);
    }
    NDArray eps = x0.getManager().create(noise, shape);
    NDArray noisy = FlowMatching.noisy(x0, eps, t.sigmas());
    NDArray pred = s.model().forward(WanInputs.textToVideo(noisy, t.modelTimesteps(), batch.context()),
        s.lora().inference(1f), BlockExecutor.PLAIN);
    return new Recomputed(pred, eps.sub(x0), t.sigmas(), t.modelTimesteps());
  }

  /** Every LoRA tensor's values, per module down then up. */
  static List<float[]> weights(LoraNetwork lora) {
    List<float[]> out = new ArrayList<>();
    for (LoraModule mod : lora.modules()) {
      out.add(mod.down().toFloatArray());
      out.add(mod.up().toFloatArray());
    }
    return out;
  }

  static float[] gaussian(Random random, long n, double scale) {
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextGaussian() * scale);
    }
    return v;
  }
}
