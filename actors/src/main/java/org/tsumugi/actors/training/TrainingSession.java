package org.tsumugi.actors.training;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.tsumugi.config.TsumugiConfig;
import org.tsumugi.engine.data.Batch;
import org.tsumugi.engine.lora.LoraFile;
import org.tsumugi.engine.lora.LoraModule;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.model.BlockFetcher;
import org.tsumugi.engine.model.BlockResidency;
import org.tsumugi.engine.model.wan.WanLoraTargets;
import org.tsumugi.engine.optim.OptimizerState;
import org.tsumugi.engine.tensor.HostCopy;
import org.tsumugi.engine.tensor.NativeHeapTrimmer;
import org.tsumugi.engine.train.StepPlan;
import org.tsumugi.engine.train.TrainBatch;
import org.tsumugi.engine.train.TrainStep;
import org.tsumugi.engine.train.TrainingState;

/**
 * One run's tensors and engine step, driven one micro-batch at a time: the model, the LoRA, the optimizer and the
 * micro-step counter that keys every random draw. Not thread-safe: every call must come from the one thread that
 * opened it (libtorch memory and autograd stay on the trainer's pinned thread).
 */
public final class TrainingSession implements AutoCloseable {

  /**
   * @param seed the run's seed (LoRA init and every draw)
   * @param resume the state to continue from; empty = fresh LoRA (or network_weights)
   */
  public record Setup(TsumugiConfig config, StepPlan plan, long seed, Optional<TrainingState> resume) {}

  /**
   * @param update the optimizer update's outcome when this micro-batch was a sync step, else null
   */
  public record MicroOutcome(float loss, boolean sync, TrainStep.UpdateResult update) {}

  private final NDManager manager;
  private final DitLoader.Loaded dit;
  private final LoraNetwork lora;
  private final TrainStep step;
  private final StepPlan plan;
  private final NativeHeapTrimmer heap = new NativeHeapTrimmer();
  private long microStep;

  private TrainingSession(NDManager manager, DitLoader.Loaded dit, LoraNetwork lora, TrainStep step, StepPlan plan,
      long microStep) {
    this.manager = manager;
    this.dit = dit;
    this.lora = lora;
    this.step = step;
    this.plan = plan;
    this.microStep = microStep;
  }

  /**
   * Loads the DiT, builds the LoRA and the step, and restores a state when given.
   *
   * @param fetchers what brings the model's swapped blocks in ahead of use (the Prefetcher actor), given the model's
   *     residency; not called when no block is swapped
   */
  public static TrainingSession open(Setup s, Function<BlockResidency, BlockFetcher> fetchers) throws IOException {
    NDManager manager = NDManager.newBaseManager();
    // libtorch's intra-op thread count is set per calling thread: this one computes every step
    s.config().runtime().computeThreads().ifPresent(JniUtils::setNumThreads);
    DitLoader.Loaded dit = null;
    try {
      dit = DitLoader.load(s.config().model(), manager);
      BlockFetcher fetcher = dit.memory().blocksToSwap() > 0
          ? fetchers.apply(dit.model().weights().residency()) : BlockFetcher.INLINE;
      LoraNetwork lora = LoraNetwork.create(WanLoraTargets.of(dit.model().weights()), s.config().network(), manager,
          s.seed());
      TrainStep.Options options = new TrainStep.Options(s.config().network(), s.config().optimizer(),
          s.config().lrScheduler(), s.config().timesteps(), s.config().training().gradientAccumulationSteps(),
          s.plan().maxTrainSteps(), s.seed(), dit.ditDtype());
      TrainStep step = TrainStep.create(dit.model(), dit.memory().executor(fetcher), lora, options, manager);
      long microStep = 0;
      if (s.resume().isPresent()) {
        microStep = restore(s.resume().get(), lora, step);
      } else if (s.config().network().networkWeights().isPresent()) {
        LoraFile.loadInto(lora, Path.of(s.config().network().networkWeights().get()));
      }
      return new TrainingSession(manager, dit, lora, step, s.plan(), microStep);
    } catch (IOException | RuntimeException e) {
      manager.close();
      if (dit != null) {
        dit.close();
      }
      throw e;
    }
  }

  private static long restore(TrainingState state, LoraNetwork lora, TrainStep step) {
    Map<String, float[]> values = state.loraValues();
    for (LoraModule m : lora.modules()) {
      m.down().set(required(values, m.downKey()));
      m.up().set(required(values, m.upKey()));
    }
    step.setup().optimizer().restore(state.optimizer());
    step.restorePoolPosition(state.counters().poolPosition());
    return state.counters().microStep();
  }

  private static float[] required(Map<String, float[]> values, String key) {
    float[] v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("the training state has no LoRA tensor " + key
          + "; it was saved for another network (network_dim, network_args or model differ)");
    }
    return v;
  }

  /**
   * Forward and backward of one micro-batch, then the optimizer update if it is a sync step. A loss that is not finite
   * stops here, before any update, so the weights stay as they were after the last good step.
   *
   * @throws NonFiniteLossException if the loss is NaN or infinite
   */
  public MicroOutcome run(HostBatch batch) {
    boolean sync = plan.isSyncStep(batch.index());
    MicroOutcome outcome;
    try (NDManager m = manager.newSubManager()) {
      TrainStep.MicroResult result = step.accumulate(toTensors(m, batch), microStep);
      if (!Float.isFinite(result.loss())) {
        throw new NonFiniteLossException(result.loss(), globalStep() + 1, batch.epoch(), batch.index());
      }
      microStep++;
      if (!sync) {
        step.scaleWeightNorms(); // the reference's max-norm follows every micro-step (§4.5)
      }
      outcome = new MicroOutcome(result.loss(), sync, sync ? step.update() : null);
    }
    if (sync) {
      heap.afterStep();
    }
    return outcome;
  }

  private static TrainBatch toTensors(NDManager m, HostBatch b) {
    Batch batch = b.data().toNDArrays(m);
    return new TrainBatch(batch.latents(), batch.context(), batch.imageLatents().orElse(null),
        batch.clip().orElse(null), batch.timestepUniforms());
  }

  /** Optimizer updates done (= global step = the schedule's position). */
  public long globalStep() {
    return step.setup().optimizer().stepCount();
  }

  public long microStep() {
    return microStep;
  }

  public List<String> groupDescriptions() {
    return step.setup().groups().stream().map(g -> g.description()).toList();
  }

  /**
   * A copy of the LoRA's weights for a checkpoint: a schedule-free optimizer's averaged point, as the reference saves
   * (its trainer switches the optimizer to eval mode around every save, §4.2).
   */
  public LoraSnapshot loraSnapshot() {
    step.evalMode();
    try {
      return LoraSnapshot.of(lora);
    } finally {
      step.trainMode();
    }
  }

  /** A copy of everything a resume needs, at the cursor of the next micro-batch. */
  public TrainingState state(int epoch, int batchIndex, long seed, LossRecorder losses, String configSha256) {
    List<TrainingState.Tensor> weights = new ArrayList<>();
    for (LoraModule m : lora.modules()) {
      weights.add(new TrainingState.Tensor(m.downKey(), m.down().getShape().getShape(), HostCopy.floats(m.down())));
      weights.add(new TrainingState.Tensor(m.upKey(), m.up().getShape().getShape(), HostCopy.floats(m.up())));
    }
    OptimizerState optimizerState = step.setup().optimizer().snapshot();
    TrainingState.Counters counters = new TrainingState.Counters(globalStep(), microStep, epoch, batchIndex,
        step.poolPosition(), seed);
    return new TrainingState(counters, configSha256, weights, optimizerState, losses.window(), losses.total());
  }

  @Override
  public void close() throws IOException {
    manager.close();
    dit.close();
  }
}
