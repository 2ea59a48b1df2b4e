package org.tsumugi.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.tsumugi.config.LossType;
import org.tsumugi.engine.lora.DropoutDraws;
import org.tsumugi.engine.lora.LoraDropout;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.model.BlockExecutor;
import org.tsumugi.engine.model.BlockPass;
import org.tsumugi.engine.model.wan.WanInputs;
import org.tsumugi.engine.model.wan.WanModel;
import org.tsumugi.engine.lora.LoraModule;
import org.tsumugi.engine.nn.ScalarFactor;
import org.tsumugi.engine.optim.Gradients;
import org.tsumugi.engine.optim.MaxNorm;
import org.tsumugi.engine.optim.Optimizer;
import org.tsumugi.engine.optim.OptimizerFactory;
import org.tsumugi.engine.optim.Parameter;
import org.tsumugi.engine.optim.ParameterGroup;
import org.tsumugi.engine.optim.Prodigy;

/**
 * One LoRA training step on a Wan DiT (reference/training.md §1.1): noise and timesteps, forward, the loss of
 * {@code loss_type} (the reference's weighted MSE by default), backward (micro-batches accumulate), then on a sync step
 * gradient clipping, the scheduled learning rates, the optimizer update and zeroed gradients, and after every
 * micro-step the {@code scale_weight_norms} max-norm. Every draw is keyed by the run's micro-step counter, so a step
 * is a pure function of the batch, that counter and the trainable state.
 *
 * <p>Per micro-step the caller runs {@link #accumulate}, then {@link #update} on a sync step, then (for logging
 * {@code max_norm/*} on every micro-step) {@link #scaleWeightNorms}. The learning rates follow {@link LrScheduler}:
 * Adafactor with relative_step and schedule-free optimizers replace {@code lr_scheduler} as in the reference.
 *
 * <p>Schedule-free optimizers (AdamWScheduleFree) hold the point gradients are taken at in the LoRA's tensors while
 * training; the reference saves and samples their averaged point. The caller therefore brackets every save, sample
 * and the end of training with {@link #evalMode()} before and {@link #trainMode()} after (no-ops for other
 * optimizers), as the reference's trainer does (§4.2).
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
      LossFunction loss,
      Optimizer optimizer,
      List<ParameterGroup> groups,
      LrScheduler scheduler,
      double maxGradNorm,
      OptionalDouble scaleWeightNorms,
      int gradientAccumulationSteps,
      StepRandom random) {}

  /**
   * The options a run's step is built from (config records, plus what the run knows: planned steps, seed). The loss
   * comes from {@code timesteps.loss()}, max-norm from {@code optimizer.scaleWeightNorms()}.
   */
  public record Options(
      org.tsumugi.config.NetworkConfig network,
      org.tsumugi.config.OptimizerConfig optimizer,
      org.tsumugi.config.LrSchedulerConfig lrScheduler,
      org.tsumugi.config.TimestepConfig timesteps,
      int gradientAccumulationSteps,
      long maxTrainSteps,
      long seed,
      SigmaDtype ditDtype) {}

  /** Builds a run's step: parameter groups (LoRA+), the optimizer, the schedule over the planned steps, the samplers. */
  public static TrainStep create(
      WanModel model, BlockExecutor executor, LoraNetwork lora, Options o, NDManager stateManager) {
    List<ParameterGroup> groups =
        lora.parameterGroups(o.optimizer().learningRate(), o.network().loraplusLrRatio());
    Optimizer optimizer = OptimizerFactory.create(o.optimizer(), groups, stateManager);
    optimizer.trainMode(); // schedule-free optimizers start in eval mode, as the reference's trainer switches them
    LrScheduler scheduler = LrScheduler.of(o.optimizer(), o.lrScheduler(), o.maxTrainSteps(), optimizer, groups);
    return new TrainStep(new Setup(model, executor, lora, LoraDropout.of(o.network()),
        new TimestepSampler(o.timesteps(), o.ditDtype()),
        new LossWeighting(o.timesteps().weightingScheme(), o.ditDtype()), LossFunction.of(o.timesteps().loss()),
        optimizer, groups, scheduler, o.optimizer().maxGradNorm(), o.optimizer().scaleWeightNorms(),
        o.gradientAccumulationSteps(), new StepRandom(o.seed())));
  }

  /**
   * A micro-batch's outcome: the undivided loss (what the reference logs) and the model timesteps used.
   *
   * @param approximateWeights the loss weights used the nearest grid σ of an off-grid timestep (warn once)
   * @param rangeRejectionExhausted preserve_distribution_shape found no full batch in range and used the last round's
   *     unfiltered timesteps, as the reference does after warning (reference/training.md §2.3)
   */
  public record MicroResult(
      float loss, float[] modelTimesteps, boolean approximateWeights, boolean rangeRejectionExhausted) {}

  /**
   * An optimizer update's outcome.
   *
   * @param gradNorm the total gradient norm before clipping
   * @param learningRates the rate each group's update applied
   * @param reportedLearningRates what the reference logs as {@code lr/<group>} after this update (for a schedule the
   *     next update's rate, §4.4; Adafactor's own step size; schedule-free: the constant rate)
   * @param maxNorm the {@code scale_weight_norms} regularisation applied after the update (max_norm/keys_scaled,
   *     average_key_norm, max_key_norm), empty when it is off
   * @param dTimesLearningRates Prodigy only: its estimate d times each reported rate, logged as {@code lr/d*lr/<group>}
   */
  public record UpdateResult(double gradNorm, double[] learningRates, double[] reportedLearningRates,
      Optional<MaxNorm.Result> maxNorm, Optional<double[]> dTimesLearningRates) {}

  private final Setup setup;
  private final List<Parameter> parameters;
  private final List<MaxNorm.Adapter> adapters;
  private long poolPosition;
  private boolean maxNormPending;
  private Optional<MaxNorm.Result> lastMaxNorm = Optional.empty();

  public TrainStep(Setup setup) {
    this.setup = setup;
    this.parameters = setup.lora().parameters();
    this.adapters = setup.lora().modules().stream().map(TrainStep::adapter).toList();
  }

  /**
   * Forward and backward of one micro-batch; gradients add up until {@link #update()}. If the previous micro-step's
   * max-norm was not applied yet (no {@link #update()} or {@link #scaleWeightNorms()} since), it is applied first: the
   * weights this forward sees are the reference's either way.
   */
  public MicroResult accumulate(TrainBatch batch, long microStep) {
    if (maxNormPending) {
      scaleWeightNorms();
    }
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
        NDArray lossArray = loss(pred, FlowMatching.target(x0, noise), w == null ? null : toFloats(w), t.sigmas());
        loss = lossArray.getFloat();
        collector.backward(ScalarFactor.div(lossArray, setup.gradientAccumulationSteps()));
        blocks.backward(); // the part of the backward the executor deferred (recomputed or streamed blocks)
      }
      poolPosition = t.poolPosition();
      maxNormPending = setup.scaleWeightNorms().isPresent();
      return new MicroResult(loss, t.modelTimesteps(), w != null && w.approximateLookup(),
          t.rangeRejectionExhausted());
    }
  }

  /** l2 is the reference's weighted MSE, computed exactly as before loss types existed; others are extensions. */
  private NDArray loss(NDArray pred, NDArray target, float[] weights, float[] sigmas) {
    if (setup.loss().type() == LossType.L2) {
      return FlowMatching.loss(pred, target, weights);
    }
    return setup.loss().loss(pred, target, weights, sigmas);
  }

  /** The sync step: clip, schedule, update, zero the gradients, then the max-norm of this micro-step. */
  public UpdateResult update() {
    try (NDScope scope = new NDScope()) { // nothing made during an update outlives it but the weights and state
      // Grad mode is per thread in libtorch, on in a fresh thread, and DJL's collectors restore the mode they found:
      // the in-place updates below must not be recorded, whichever thread runs them (the trainer's pinned thread).
      JniUtils.setGradMode(false);
      long k = setup.optimizer().stepCount();
      double norm = Gradients.clipByTotalNorm(parameters, setup.maxGradNorm());
      setup.optimizer().step(setup.groups(), setup.scheduler().rates(k));
      Gradients.zero(parameters);
      Optional<MaxNorm.Result> maxNorm = scaleWeightNorms();
      double[] reported = setup.scheduler().reported(k + 1);
      return new UpdateResult(norm, setup.scheduler().applied(k), reported, maxNorm, dTimes(reported));
    }
  }

  private Optional<double[]> dTimes(double[] rates) {
    if (!(setup.optimizer() instanceof Prodigy prodigy)) {
      return Optional.empty();
    }
    double[] out = new double[rates.length];
    for (int g = 0; g < out.length; g++) {
      out[g] = prodigy.d() * rates[g];
    }
    return Optional.of(out);
  }

  /**
   * The {@code scale_weight_norms} max-norm of the micro-step just accumulated (reference/training.md §1.1 step 12,
   * §4.5): the reference applies it after every micro-step, after the update on sync steps. Applies it once per
   * micro-step ({@link #update()} already does on sync steps) and returns its result for the {@code max_norm/*} logs;
   * a repeated call returns the result again without applying it twice. Empty when scale_weight_norms is off.
   */
  public Optional<MaxNorm.Result> scaleWeightNorms() {
    if (setup.scaleWeightNorms().isEmpty()) {
      return Optional.empty();
    }
    if (maxNormPending) {
      lastMaxNorm = Optional.of(MaxNorm.apply(adapters, setup.scaleWeightNorms().getAsDouble()));
      maxNormPending = false;
    }
    return lastMaxNorm;
  }

  /** What the reference logs as {@code lr/<group>} now, e.g. for micro-steps between updates and before the first. */
  public double[] reportedLearningRates() {
    return setup.scheduler().reported(setup.optimizer().stepCount());
  }

  /** Puts a schedule-free optimizer's averaged point in the LoRA's tensors: call before saving or sampling. */
  public void evalMode() {
    setup.optimizer().evalMode();
  }

  /** Returns a schedule-free optimizer to its training point: call after saving or sampling. */
  public void trainMode() {
    setup.optimizer().trainMode();
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

  private static MaxNorm.Adapter adapter(LoraModule m) {
    return new MaxNorm.Adapter(m.loraName(), m.down(), m.up(), m.alpha(), m.rank());
  }

  private static float[] toFloats(LossWeighting.Weights w) {
    float[] out = new float[w.values().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) w.values()[i];
    }
    return out;
  }
}
