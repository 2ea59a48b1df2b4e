package org.tsumugi.actors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.tsumugi.actors.RunEvent.SaveKind;
import org.tsumugi.actors.run.RunSpec;
import org.tsumugi.persistence.checkpoint.StoredFile;

/**
 * One run: its ledger (this actor's journal, persistence id = the run name) and the supervisor of its Trainer,
 * DataLoader, CheckpointWriter and Monitor. It records what its children report — steps (batched), epochs, saved and
 * removed files, the end — and publishes each recorded event to the Monitor in ledger order. Every decision about
 * starting or continuing a run is taken against the recovered ledger ({@link RunStart}); what the run does is the
 * Trainer's.
 */
public final class RunSupervisor extends EventSourcedBehavior<RunSupervisor.Command, RunEvent, RunLedger> {

  public interface Command {}

  /** Builds the run's monitoring sinks; they may steer the run through {@code control}. */
  @FunctionalInterface
  public interface Sinks {
    List<RunEventSink> create(RunControl control);
  }

  enum Begin implements Command { INSTANCE }

  record ResumeChosen(ResumeSelector.Choice choice) implements Command {}

  public record StepDone(RunEvent.StepMetrics metrics) implements Command {}

  public record EpochDone(int epoch, long step, float averageLoss) implements Command {}

  public record TrainerPaused(long step) implements Command {}

  public record TrainerContinued(long step) implements Command {}

  public record TrainingDone(long steps, String finalName) implements Command {}

  public record TrainingStopped(long step) implements Command {}

  public record TrainingFailed(long step, String reason) implements Command {}

  /** @param state whether the file is a training state (else a LoRA checkpoint) */
  public record FileWritten(boolean state, SaveKind kind, long step, int epoch, StoredFile file) implements Command {}

  public record FileDeleted(String path, boolean existed) implements Command {}

  public record SaveFailed(String reason) implements Command {}

  public enum WriterFlushed implements Command { INSTANCE }

  /** A person's request (pause, continue, save now, stop after the next save). */
  public record Control(RunControl.Request request) implements Command {}

  /** What the live post-hoc EMA reports. */
  public record EmaReported(EmaMerger.Report report) implements Command {}

  /** The EMA has folded every checkpoint sent before the end. */
  enum EmaSettled implements Command { INSTANCE }

  enum FlushSteps implements Command { INSTANCE }

  record ChildStopped(String name) implements Command {}

  /** The Monitor has handed every recorded event to its sinks and closed them (or the wait for it ran out). */
  enum MonitorClosed implements Command { INSTANCE }

  /** Steps recorded per ledger event at most; a timer flushes fewer. */
  static final int STEPS_PER_EVENT = 20;

  /** How long the end of a run waits for the sinks to take the last events. */
  static final Duration MONITOR_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final RunSpec spec;
  private final Sinks sinks;
  private final ActorRef<RunOutcome> replyTo;
  private final RunStart start;
  private final List<RunEvent.StepMetrics> pendingSteps = new ArrayList<>();
  private RunChildren children;
  private RunOutcome ending;
  private boolean replied;
  private boolean closing;
  private long fromStep;

  private RunSupervisor(ActorContext<Command> ctx, TimerScheduler<Command> timers, RunSpec spec, Sinks sinks,
      ActorRef<RunOutcome> replyTo) {
    super(PersistenceId.ofUniqueId(spec.runName()));
    this.ctx = ctx;
    this.timers = timers;
    this.spec = spec;
    this.sinks = sinks;
    this.replyTo = replyTo;
    this.start = new RunStart(spec);
  }

  public static Behavior<Command> create(RunSpec spec, Sinks sinks, ActorRef<RunOutcome> replyTo) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new RunSupervisor(ctx, timers, spec, sinks,
        replyTo)));
  }

  @Override
  public RunLedger emptyState() {
    return RunLedger.empty();
  }

  @Override
  public EventHandler<RunLedger, RunEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(RunLedger::apply);
  }

  @Override
  public SignalHandler<RunLedger> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), ledger -> ctx.getSelf().tell(Begin.INSTANCE))
        .onSignal(RecoveryFailed.class, (ledger, failed) -> reply(new RunOutcome.Refused(
            "cannot read the run ledger in " + spec.directory().journal() + ": " + failed.getFailure())))
        .build();
  }

  @Override
  public CommandHandler<Command, RunEvent, RunLedger> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(c -> closing && c != MonitorClosed.INSTANCE, (ledger, c) -> Effect().none())
        .onCommand(MonitorClosed.class, (ledger, c) -> Effect().stop())
        .onCommand(Begin.class, (ledger, c) -> onBegin(ledger))
        .onCommand(ResumeChosen.class, this::onResumeChosen)
        .onCommand(StepDone.class, this::onStepDone)
        .onCommand(EpochDone.class, (ledger, e) -> persist(List.of(new RunEvent.EpochCompleted(now(), e.epoch(),
            e.step(), e.averageLoss()))))
        .onCommand(FileWritten.class, (ledger, w) -> persist(List.of(saved(w))))
        .onCommand(FileDeleted.class, this::onFileDeleted)
        .onCommand(TrainerPaused.class, (ledger, p) -> persist(List.of(new RunEvent.RunPaused(now(), p.step()))))
        .onCommand(TrainerContinued.class, (ledger, p) -> persist(List.of(new RunEvent.RunContinued(now(),
            p.step()))))
        .onCommand(TrainingDone.class, this::onTrainingDone)
        .onCommand(TrainingStopped.class, (ledger, s) -> endAfterFlush(new RunOutcome.Stopped(s.step())))
        .onCommand(TrainingFailed.class, (ledger, f) -> endAfterFlush(new RunOutcome.Failed(f.step(), f.reason())))
        .onCommand(SaveFailed.class, (ledger, f) -> fail(ledger, f.reason()))
        .onCommand(WriterFlushed.class, this::onWriterFlushed)
        .onCommand(Control.class, (ledger, c) -> onControl(c))
        .onCommand(FlushSteps.class, (ledger, c) -> pendingSteps.isEmpty() ? Effect().none() : persist(List.of()))
        .onCommand(ChildStopped.class, this::onChildStopped)
        .onCommand(EmaReported.class, this::onEmaReported)
        .onCommand(EmaSettled.class, this::finishRun)
        .build();
  }

  private Effect<RunEvent, RunLedger> onBegin(RunLedger ledger) {
    Optional<String> refusal = start.refusal(ledger);
    if (refusal.isPresent()) {
      reply(new RunOutcome.Refused(refusal.get()));
      return Effect().stop();
    }
    Executor io = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(RunChildren.IO_DISPATCHER));
    ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> ResumeSelector.choose(ledger, spec.directory(),
        spec.resolved().sha256()), io), (choice, error) -> error == null ? new ResumeChosen(choice)
        : new ResumeChosen(new ResumeSelector.Choice(Optional.empty(), List.of("cannot check saved states: "
            + error))));
    return Effect().none();
  }

  private Effect<RunEvent, RunLedger> onResumeChosen(RunLedger ledger, ResumeChosen chosen) {
    chosen.choice().warnings().forEach(w -> ctx.getLog().warn(w));
    Optional<ResumeSelector.ResumePoint> point = chosen.choice().point();
    fromStep = point.map(p -> p.state().counters().globalStep()).orElse(0L);
    List<RunEvent> events = new ArrayList<>();
    if (ledger.started().isEmpty()) {
      events.add(start.runStarted(now()));
    }
    events.add(new RunEvent.ProcessAttached(now(), ProcessHandle.current().pid(), fromStep));
    children = RunChildren.spawn(ctx, spec, start, sinks, point);
    // after a crash the EMA may lag the ledger: it skips what it has folded and folds the rest
    ledger.files().values().forEach(this::foldIntoEma);
    timers.startTimerAtFixedRate(FlushSteps.INSTANCE, Duration.ofSeconds(1));
    return persist(events);
  }

  private Effect<RunEvent, RunLedger> onStepDone(RunLedger ledger, StepDone done) {
    pendingSteps.add(done.metrics());
    return pendingSteps.size() >= STEPS_PER_EVENT ? persist(List.of()) : Effect().none();
  }

  private Effect<RunEvent, RunLedger> onFileDeleted(RunLedger ledger, FileDeleted deleted) {
    if (!deleted.existed() && !ledger.holds(deleted.path())) {
      return Effect().none();
    }
    return persist(List.of(new RunEvent.FileRemoved(now(), deleted.path())));
  }

  private Effect<RunEvent, RunLedger> onTrainingDone(RunLedger ledger, TrainingDone done) {
    ending = new RunOutcome.Finished(done.steps(), spec.directory().resolve(done.finalName()).toString(), fromStep,
        Optional.empty(), Optional.empty(), List.of());
    return Effect().none(); // the writer's Flush follows: the run ends once every save is recorded
  }

  private Effect<RunEvent, RunLedger> endAfterFlush(RunOutcome outcome) {
    if (ending == null) {
      ending = outcome;
      children.writer().tell(new CheckpointWriter.Flush(ctx.getSelf()));
    }
    return Effect().none();
  }

  private Effect<RunEvent, RunLedger> onWriterFlushed(RunLedger ledger, WriterFlushed flushed) {
    if (ending instanceof RunOutcome.Finished && children.ema().isPresent()) {
      ctx.ask(EmaMerger.Status.class, children.ema().get(), Duration.ofHours(1), EmaMerger.GetStatus::new,
          (status, error) -> EmaSettled.INSTANCE);
      return Effect().none();
    }
    return finishRun(ledger, EmaSettled.INSTANCE);
  }

  private Effect<RunEvent, RunLedger> finishRun(RunLedger ledger, EmaSettled settled) {
    if (ending instanceof RunOutcome.Finished f) {
      return persist(List.of(new RunEvent.RunFinished(now(), f.steps(), f.finalPath())))
          .thenRun(after -> reply(new RunOutcome.Finished(f.steps(), f.finalPath(), fromStep, after.firstLoss(),
              after.lastLoss(), List.copyOf(after.files().keySet()))))
          .thenRun(after -> close());
    }
    if (ending instanceof RunOutcome.Failed f) {
      return fail(ledger, f.reason());
    }
    if (ending instanceof RunOutcome.Stopped s) {
      return persist(List.of()).thenRun(after -> reply(s)).thenRun(after -> close());
    }
    return Effect().none();
  }

  private Effect<RunEvent, RunLedger> fail(RunLedger ledger, String reason) {
    long step = Math.max(ledger.lastStep(), pendingSteps.isEmpty() ? 0
        : pendingSteps.get(pendingSteps.size() - 1).step());
    ctx.getLog().error("run {} failed at step {}: {}", spec.runName(), step, reason);
    return persist(List.of(new RunEvent.RunFailed(now(), step, reason)))
        .thenRun(after -> reply(new RunOutcome.Failed(step, reason)))
        .thenRun(after -> close());
  }

  /**
   * Ends the run once its end is recorded: the other children stop now, the Monitor after it has published what it
   * was given (stopping the supervisor at once would stop the Monitor with the last events, RunFinished or RunFailed,
   * still in its mailbox, and the sinks would never see how the run ended). Nothing more is recorded meanwhile.
   */
  private void close() {
    closing = true;
    timers.cancelAll();
    ctx.stop(children.trainer());
    ctx.stop(children.loader());
    ctx.stop(children.writer());
    children.ema().ifPresent(ctx::stop); // a fold it was writing is left for the next resume, which repeats it
    ctx.watchWith(children.monitor(), MonitorClosed.INSTANCE);
    children.monitor().tell(Monitor.Close.INSTANCE);
    timers.startSingleTimer(MonitorClosed.INSTANCE, MONITOR_CLOSE_TIMEOUT);
  }

  private Effect<RunEvent, RunLedger> onControl(Control control) {
    if (children != null) {
      children.trainer().tell(switch (control.request()) {
        case PAUSE -> Trainer.Pause.INSTANCE;
        case RESUME -> Trainer.Continue.INSTANCE;
        case SAVE_NOW -> Trainer.SaveNow.INSTANCE;
        case STOP_AFTER_NEXT_SAVE -> Trainer.StopAfterNextSave.INSTANCE;
      });
    }
    return Effect().none();
  }

  private Effect<RunEvent, RunLedger> onEmaReported(RunLedger ledger, EmaReported reported) {
    if (reported.report() instanceof EmaMerger.Updated updated) {
      return persist(List.of(updated.event()));
    }
    EmaMerger.Failed failed = (EmaMerger.Failed) reported.report();
    ctx.getLog().warn("the post-hoc EMA could not fold {} (step {}): {}", failed.checkpoint(), failed.step(),
        failed.reason());
    return Effect().none();
  }

  private void foldIntoEma(RunEvent event) {
    if (children != null && children.ema().isPresent() && event instanceof RunEvent.CheckpointSaved saved) {
      EmaMerger.Fold.of(saved).ifPresent(children.ema().get()::tell);
    }
  }

  private Effect<RunEvent, RunLedger> onChildStopped(RunLedger ledger, ChildStopped stopped) {
    if (replied) {
      return Effect().none();
    }
    return fail(ledger, "the " + stopped.name() + " stopped unexpectedly (see the log above)");
  }

  /** Persists the pending steps, then {@code events}, as one atomic write; the Monitor gets them in that order. */
  private EffectBuilder<RunEvent, RunLedger> persist(List<RunEvent> events) {
    List<RunEvent> all = new ArrayList<>();
    if (!pendingSteps.isEmpty()) {
      all.add(new RunEvent.StepsCompleted(now(), List.copyOf(pendingSteps)));
      pendingSteps.clear();
    }
    all.addAll(events);
    if (all.isEmpty()) {
      return Effect().none();
    }
    return Effect().persist(all).thenRun(after -> {
      if (children != null) {
        all.forEach(e -> children.monitor().tell(new Monitor.Publish(e)));
        all.forEach(this::foldIntoEma);
      }
    });
  }

  private static RunEvent saved(FileWritten w) {
    StoredFile f = w.file();
    String path = f.path().toString();
    return w.state()
        ? new RunEvent.StateSaved(now(), w.kind(), w.step(), w.epoch(), path, f.size(), f.sha256())
        : new RunEvent.CheckpointSaved(now(), w.kind(), w.step(), w.epoch(), path, f.size(), f.sha256());
  }

  private void reply(RunOutcome outcome) {
    if (!replied) {
      replied = true;
      replyTo.tell(outcome);
    }
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
