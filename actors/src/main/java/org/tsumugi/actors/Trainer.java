package org.tsumugi.actors;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.tsumugi.actors.RunEvent.SaveKind;
import org.tsumugi.actors.training.HostBatch;
import org.tsumugi.actors.training.LossRecorder;
import org.tsumugi.actors.training.NonFiniteLossException;
import org.tsumugi.actors.training.SaveAction;
import org.tsumugi.actors.training.SavePolicy;
import org.tsumugi.actors.training.TrainingSession;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.lora.LoraMetadata;
import org.tsumugi.engine.model.BlockFetcher;
import org.tsumugi.engine.model.BlockResidency;
import org.tsumugi.engine.train.StepPlan;
import org.tsumugi.engine.train.TrainStep;
import org.tsumugi.engine.train.TrainingState;

/**
 * Runs the training loop on its pinned dispatcher, the one thread that owns libtorch memory and autograd: pulls
 * batches from the DataLoader (asking for the next before computing the current), runs the engine step, reports each
 * optimizer step to the RunSupervisor, and at save points hands immutable snapshots to the CheckpointWriter without
 * waiting for the disk. The loop's position is the data cursor (epoch, batch index of the next micro-batch).
 */
public final class Trainer extends AbstractBehavior<Trainer.Command> {

  public sealed interface Command {}

  /**
   * What the trainer runs.
   *
   * @param session how to open the engine side (on the trainer's thread)
   * @param resume the state to continue from and the save rule that wrote it
   */
  public record Setup(TrainingSession.Setup session, String configSha256, LoraMetadata metadata, SavePolicy policy,
      DType saveDtype, Optional<SaveKind> resumeKind) {
    StepPlan plan() {
      return session.plan();
    }
  }

  enum Begin implements Command { INSTANCE }

  public record BatchArrived(HostBatch batch) implements Command {}

  public record DataFailed(String reason) implements Command {}

  public enum Pause implements Command { INSTANCE }

  public enum Continue implements Command { INSTANCE }

  /** Save a checkpoint and a state at the next optimizer step. */
  public enum SaveNow implements Command { INSTANCE }

  /** End the run (resumably) right after the next save. */
  public enum StopAfterNextSave implements Command { INSTANCE }

  private final Setup setup;
  private final ActorRef<RunSupervisor.Command> supervisor;
  private final ActorRef<DataLoader.Command> loader;
  private final ActorRef<CheckpointWriter.Command> writer;
  private TrainingSession session;
  private LossRecorder losses = new LossRecorder();
  private int epoch;
  private int batchIndex;
  private boolean awaitingBatch;
  private boolean paused;
  private HostBatch held;
  private boolean saveRequested;
  private boolean stopAfterSave;
  private boolean ended;
  /** When the previous step ended (or training began): a step's time is the wall time between two step ends. */
  private long lastStepEnd;
  private long pausedAt;

  private Trainer(ActorContext<Command> ctx, Setup setup, ActorRef<RunSupervisor.Command> supervisor,
      ActorRef<DataLoader.Command> loader, ActorRef<CheckpointWriter.Command> writer) {
    super(ctx);
    this.setup = setup;
    this.supervisor = supervisor;
    this.loader = loader;
    this.writer = writer;
    ctx.getSelf().tell(Begin.INSTANCE);
  }

  public static Behavior<Command> create(Setup setup, ActorRef<RunSupervisor.Command> supervisor,
      ActorRef<DataLoader.Command> loader, ActorRef<CheckpointWriter.Command> writer) {
    return Behaviors.setup(ctx -> new Trainer(ctx, setup, supervisor, loader, writer));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Begin.class, b -> onBegin())
        .onMessage(BatchArrived.class, this::onBatch)
        .onMessage(DataFailed.class, f -> fail(f.reason()))
        .onMessage(Pause.class, p -> onPause())
        .onMessage(Continue.class, c -> onContinue())
        .onMessage(SaveNow.class, s -> onSaveNow())
        .onMessage(StopAfterNextSave.class, s -> onStopAfterNextSave())
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  private Behavior<Command> onBegin() {
    try {
      session = TrainingSession.open(setup.session(), this::prefetcher);
    } catch (Exception e) {
      getContext().getLog().error("cannot set up training", e);
      return fail("cannot set up training: " + e.getMessage());
    }
    Optional<TrainingState> resume = setup.session().resume();
    if (resume.isPresent()) {
      TrainingState.Counters c = resume.get().counters();
      epoch = c.epoch();
      batchIndex = c.batchIndex();
      losses = new LossRecorder(resume.get().lossHistory(), resume.get().lossTotal());
      perform(setup.policy().removalsOnResume(setup.resumeKind().orElse(SaveKind.STEP), c.globalStep(),
          c.batchIndex() == 0 ? c.epoch() : c.epoch() + 1));
    }
    getContext().getLog().info("training from step {} (epoch {}, batch {})", session.globalStep(), epoch + 1,
        batchIndex);
    lastStepEnd = System.nanoTime();
    return proceed();
  }

  /** The Prefetcher child that brings swapped blocks in on its own dispatcher while this thread computes. */
  private BlockFetcher prefetcher(BlockResidency residency) {
    ActorRef<Prefetcher.Command> prefetcher = getContext().spawn(Prefetcher.create(residency), "prefetcher",
        Prefetcher.dispatcher(getContext().getSystem()));
    return Prefetcher.fetcher(prefetcher, residency, getContext().getSystem().scheduler(), Duration.ofMinutes(10));
  }

  /** Between micro-batches: ask for the next batch, or close the epoch, or finish. */
  private Behavior<Command> proceed() {
    StepPlan plan = setup.plan();
    while (!ended) {
      if (epoch >= plan.numTrainEpochs()) {
        return finish();
      }
      if (batchIndex < plan.batchesPerEpoch() && plan.runs(epoch, batchIndex)) {
        if (!awaitingBatch) {
          awaitingBatch = true;
          loader.tell(new DataLoader.Next(getContext().getSelf()));
        }
        return this;
      }
      endEpoch();
    }
    return this;
  }

  private Behavior<Command> onBatch(BatchArrived arrived) {
    awaitingBatch = false;
    if (paused) {
      held = arrived.batch();
      return this;
    }
    return run(arrived.batch());
  }

  private Behavior<Command> run(HostBatch batch) {
    if (batch.epoch() != epoch || batch.index() != batchIndex) {
      return fail("the data loader sent batch " + batch.index() + " of epoch " + (batch.epoch() + 1)
          + " where batch " + batchIndex + " of epoch " + (epoch + 1) + " was due");
    }
    StepPlan plan = setup.plan();
    if (batchIndex + 1 < plan.batchesPerEpoch() && plan.runs(epoch, batchIndex + 1)) {
      awaitingBatch = true; // read ahead while this batch computes
      loader.tell(new DataLoader.Next(getContext().getSelf()));
    }
    TrainingSession.MicroOutcome outcome;
    try {
      outcome = session.run(batch);
    } catch (NonFiniteLossException e) {
      return fail(e.getMessage());
    } catch (RuntimeException e) {
      getContext().getLog().error("training step failed", e);
      return fail("training step " + (session.globalStep() + 1) + " failed: " + e);
    }
    losses.add(epoch, batchIndex, outcome.loss());
    batchIndex++;
    if (outcome.sync()) {
      completeStep(outcome);
    }
    return proceed();
  }

  private void completeStep(TrainingSession.MicroOutcome outcome) {
    long step = session.globalStep();
    long now = System.nanoTime();
    double seconds = (now - lastStepEnd) / 1e9;
    lastStepEnd = now;
    TrainStep.UpdateResult update = outcome.update();
    RunEvent.MaxNormMetrics maxNorm = update.maxNorm()
        .map(r -> new RunEvent.MaxNormMetrics(r.keysScaled(), r.meanNorm(), r.maxNorm())).orElse(null);
    supervisor.tell(new RunSupervisor.StepDone(new RunEvent.StepMetrics(step, epoch + 1, outcome.loss(),
        (float) losses.movingAverage(), boxed(update.reportedLearningRates()), update.gradNorm(), seconds,
        update.dTimesLearningRates().map(Trainer::boxed).orElse(List.of()), maxNorm)));
    List<SaveAction> actions = new java.util.ArrayList<>(setup.policy().afterStep(step, epoch));
    if (saveRequested && actions.stream().noneMatch(a -> a instanceof SaveAction.State)) {
      actions.addAll(setup.policy().onRequest(step, epoch));
    }
    saveRequested = false;
    perform(actions);
    if (stopAfterSave && !actions.isEmpty()) {
      stopAfterSave = false;
      ended = true;
      writer.tell(new CheckpointWriter.Flush(supervisor));
      supervisor.tell(new RunSupervisor.TrainingStopped(step));
    }
  }

  private static List<Double> boxed(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  /** The epoch's batches are done: report it, move the cursor to the next epoch, then its saves. */
  private void endEpoch() {
    int done = epoch + 1;
    long step = session.globalStep();
    supervisor.tell(new RunSupervisor.EpochDone(done, step, (float) losses.movingAverage()));
    epoch++;
    batchIndex = 0;
    perform(setup.policy().afterEpoch(done, step));
  }

  private Behavior<Command> finish() {
    ended = true;
    long step = session.globalStep();
    perform(setup.policy().atEnd(step));
    writer.tell(new CheckpointWriter.Flush(supervisor));
    supervisor.tell(new RunSupervisor.TrainingDone(step, setup.policy().names().finalLora()));
    return this;
  }

  private void perform(List<SaveAction> actions) {
    for (SaveAction action : actions) {
      if (action instanceof SaveAction.Lora l) {
        writer.tell(new CheckpointWriter.WriteLora(new CheckpointWriter.SaveTarget(l.name(), l.kind(), l.step(),
            l.epoch()), session.loraSnapshot(), setup.metadata().forSave(l.step(), l.ssEpoch()), setup.saveDtype()));
      } else if (action instanceof SaveAction.State s) {
        TrainingState state = session.state(epoch, batchIndex, setup.session().seed(), losses, setup.configSha256());
        writer.tell(new CheckpointWriter.WriteState(new CheckpointWriter.SaveTarget(s.directory(), s.kind(),
            s.step(), s.epoch()), state));
      } else if (action instanceof SaveAction.Remove r) {
        writer.tell(new CheckpointWriter.Remove(r.name()));
      }
    }
  }

  private Behavior<Command> onPause() {
    if (!paused && !ended) {
      paused = true;
      pausedAt = System.nanoTime();
      supervisor.tell(new RunSupervisor.TrainerPaused(session == null ? 0 : session.globalStep()));
    }
    return this;
  }

  private Behavior<Command> onContinue() {
    if (!paused) {
      return this;
    }
    paused = false;
    lastStepEnd += System.nanoTime() - pausedAt; // a pause is no part of the step it interrupted
    supervisor.tell(new RunSupervisor.TrainerContinued(session == null ? 0 : session.globalStep()));
    if (held != null) {
      HostBatch batch = held;
      held = null;
      return run(batch);
    }
    return this;
  }

  private Behavior<Command> onSaveNow() {
    saveRequested = true;
    return this;
  }

  private Behavior<Command> onStopAfterNextSave() {
    stopAfterSave = true;
    return this;
  }

  private Behavior<Command> fail(String reason) {
    ended = true;
    supervisor.tell(new RunSupervisor.TrainingFailed(session == null ? 0 : session.globalStep(), reason));
    return this;
  }

  private Behavior<Command> onPostStop() {
    if (session != null) {
      try {
        session.close();
      } catch (java.io.IOException e) {
        getContext().getLog().warn("closing the model's checkpoint failed", e);
      }
    }
    return this;
  }
}
