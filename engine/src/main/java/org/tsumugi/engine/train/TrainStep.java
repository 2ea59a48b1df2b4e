package org.tsumugi.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.tsumugi.engine.lora.DropoutDraws;
import org.tsumugi.engine.lora.LoraDropout;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.model.BlockExecutor;
import org.tsumugi.engine.model.BlockPass;
import org.tsumugi.engine.model.wan.WanInputs;
import org.tsumugi.engine.model.wan.WanModel;
import org.tsumugi.engine.nn.ScalarFactor;
import org.tsumugi.engine.optim.Gradients;
import org.tsumugi.engine.optim.Optimizer;
import org.tsumugi.engine.optim.Parameter;
import org.tsumugi.engine.optim.ParameterGroup;

/**
 * One LoRA training step on a Wan DiT (reference/training.md §1.1): noise and timesteps, forward, weighted MSE,
 * backward (micro-batches accumulate), then on a sync step gradient clipping, the scheduled learning rates, the
 * optimizer update and zeroed gradients. Every draw is keyed by the run's micro-step counter, so a step is a pure
 * function of the batch, that counter and the trainable state.
 */
public final class TrainStep {

  /** Everything a step needs; built once per run. */
  public record Setup(
      WanModel model,
      BlockExecutor executor,
      LoraNetwork lora,
      LoraDropout dropout,
      TimestepSampler sampler,
      LossWeighting weighting,
      Optimizer optimizer,
      List<ParameterGroup> groups,
      LrSchedule schedule,
      double maxGradNorm,
      int gradientAccumulationSteps,
      StepRandom random) {}

  /** The options a run's step is built from (config records, plus what the run knows: planned steps, seed). */
  public record Options(
      org.tsumugi.config.NetworkConfig network,
      org.tsumugi.config.OptimizerConfig optimizer,
      org.tsumugi.config.LrSchedulerConfig lrScheduler,
      org.tsumugi.config.TimestepConfig timesteps,
      int gradientAccumulationSteps,
      long maxTrainSteps,
      long seed,
      SigmaDtype ditDtype) {}

  /** Builds a run's step: parameter groups (LoRA+), AdamW, the schedule over the planned steps, the samplers. */
  public static TrainStep create(
      WanModel model, BlockExecutor executor, LoraNetwork lora, Options o, NDManager stateManager) {
    List<ParameterGroup> groups =
        lora.parameterGroups(o.optimizer().learningRate(), o.network().loraplusLrRatio());
    double[] baseLrs = groups.stream().mapToDouble(ParameterGroup::learningRate).toArray();
    Optimizer optimizer = new org.tsumugi.engine.optim.AdamW(
        org.tsumugi.engine.optim.AdamW.Settings.defaults(), groups, stateManager);
    LrSchedule schedule = LrSchedule.create(o.lrScheduler(), o.maxTrainSteps(), o.optimizer().learningRate(), baseLrs);
    return new TrainStep(new Setup(model, executor, lora, LoraDropout.of(o.network()),
        new TimestepSampler(o.timesteps(), o.ditDtype()),
        new LossWeighting(o.timesteps().weightingScheme(), o.ditDtype()), optimizer, groups, schedule,
        o.optimizer().maxGradNorm(), o.gradientAccumulationSteps(), new StepRandom(o.seed())));
  }

  /** A micro-batch's outcome: the undivided loss (what the reference logs) and the model timesteps used. */
  public record MicroResult(float loss, float[] modelTimesteps, boolean approximateWeights) {}

  /** An optimizer update's outcome: the gradient norm before clipping and the rates used, per group. */
  public record UpdateResult(double gradNorm, double[] learningRates) {}

  private final Setup setup;
  private final List<Parameter> parameters;
  private long poolPosition;

  public TrainStep(Setup setup) {
    this.setup = setup;
    this.parameters = setup.lora().parameters();
  }

  /** Forward and backward of one micro-batch; gradients add up until {@link #update()}. */
  public MicroResult accumulate(TrainBatch batch, long microStep) {
    try (NDScope scope = new NDScope()) {
      NDArray x0 = batch.latents();
      NDManager m = x0.getManager();
      Shape shape = x0.getShape(); // [B, C, F, H, W]
      TimestepSampler.Sample t = setup.sampler().sample(batch.size(), microStep, (int) shape.get(3),
          (int) shape.get(4), setup.random(), batch.bucketedU(), poolPosition);
      NDArray noise = noise(m, shape, microStep);
      NDArray noisy = FlowMatching.noisy(x0, noise, t.sigmas());
      LossWeighting.Weights w = setup.weighting().weighted() ? setup.weighting().weights(t.modelTimesteps()) : null;
      float loss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector();
          BlockPass blocks = setup.executor().begin()) {
        WanInputs in = new WanInputs(noisy, t.modelTimesteps(), batch.context(), batch.imageLatents(), batch.clip());
        NDArray pred = setup.model().forward(in, setup.lora().training(setup.dropout(), draws(microStep)), blocks);
        NDArray lossArray = FlowMatching.loss(pred, FlowMatching.target(x0, noise), w == null ? null : toFloats(w));
        loss = lossArray.getFloat();
        collector.backward(ScalarFactor.div(lossArray, setup.gradientAccumulationSteps()));
        blocks.backward(); // the part of the backward the executor deferred (recomputed or streamed blocks)
      }
      poolPosition = t.poolPosition();
      return new MicroResult(loss, t.modelTimesteps(), w != null && w.approximateLookup());
    }
  }

  /** The sync step: clip, schedule, update, zero the gradients. */
  public UpdateResult update() {
    long k = setup.optimizer().stepCount();
    double norm = Gradients.clipByTotalNorm(parameters, setup.maxGradNorm());
    double[] lrs = new double[setup.groups().size()];
    for (int g = 0; g < lrs.length; g++) {
      lrs[g] = setup.schedule().lr(g, k);
    }
    setup.optimizer().step(setup.groups(), lrs);
    Gradients.zero(parameters);
    return new UpdateResult(norm, lrs);
  }

  /** The trainer-side timestep pool position (part of the run's saved counters). */
  public long poolPosition() {
    return poolPosition;
  }

  public void restorePoolPosition(long position) {
    this.poolPosition = position;
  }

  public Setup setup() {
    return setup;
  }

  /** ε ~ N(0, 1) per sample, drawn from the sample's own stream. */
  private NDArray noise(NDManager m, Shape shape, long microStep) {
    int b = (int) shape.get(0);
    int perSample = (int) (shape.size() / b);
    float[] values = new float[b * perSample];
    for (int i = 0; i < b; i++) {
      setup.random().stream(RandomPurpose.NOISE, microStep, i).fillGaussian(values, i * perSample, perSample);
    }
    return m.create(values, shape);
  }

  private DropoutDraws draws(long microStep) {
    return (moduleIndex, kind, count) -> {
      RandomPurpose purpose = switch (kind) {
        case NEURON -> RandomPurpose.DROPOUT;
        case RANK -> RandomPurpose.RANK_DROPOUT;
        case MODULE -> RandomPurpose.MODULE_DROPOUT;
      };
      RandomStream s = setup.random().stream(purpose, microStep, moduleIndex);
      float[] u = new float[count];
      for (int i = 0; i < count; i++) {
        u[i] = s.nextFloat();
      }
      return u;
    };
  }

  private static float[] toFloats(LossWeighting.Weights w) {
    float[] out = new float[w.values().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) w.values()[i];
    }
    return out;
  }
}
