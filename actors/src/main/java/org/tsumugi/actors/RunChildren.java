package org.tsumugi.actors;

import java.util.Optional;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.tsumugi.actors.run.RunSpec;
import org.tsumugi.actors.training.TrainingSession;
import org.tsumugi.engine.train.TrainingState;

/**
 * The RunSupervisor's children, each on its own dispatcher (actors' reference.conf): the Trainer pinned to one thread,
 * the CheckpointWriter and the Monitor on one thread each, the DataLoader's reads on the IO pool. Each is watched; the
 * Monitor is restarted if it fails, since monitoring must never end a run.
 */
record RunChildren(ActorRef<Monitor.Command> monitor, ActorRef<CheckpointWriter.Command> writer,
    ActorRef<DataLoader.Command> loader, ActorRef<Trainer.Command> trainer,
    Optional<ActorRef<EmaMerger.Command>> ema) {

  static final String TRAINER_DISPATCHER = "tsumugi.runtime.dispatchers.trainer";
  static final String CHECKPOINT_DISPATCHER = "tsumugi.runtime.dispatchers.checkpoint";
  static final String MONITOR_DISPATCHER = "tsumugi.runtime.dispatchers.monitor";
  static final String IO_DISPATCHER = "tsumugi.runtime.dispatchers.io";

  static RunChildren spawn(ActorContext<RunSupervisor.Command> ctx, RunSpec spec, RunStart start,
      RunSupervisor.Sinks sinks, Optional<ResumeSelector.ResumePoint> point) {
    RunControl control = request -> ctx.getSelf().tell(new RunSupervisor.Control(request));
    ActorRef<Monitor.Command> monitor = ctx.spawn(
        Behaviors.supervise(Monitor.create(sinks.create(control))).onFailure(SupervisorStrategy.restart()),
        "monitor", DispatcherSelector.fromConfig(MONITOR_DISPATCHER));
    ActorRef<CheckpointWriter.Command> writer = ctx.spawn(CheckpointWriter.create(spec.directory(), ctx.getSelf(),
            spec.config().runtime().saveCpuShare()),
        "checkpoint-writer", DispatcherSelector.fromConfig(CHECKPOINT_DISPATCHER));
    Optional<TrainingState> state = point.map(ResumeSelector.ResumePoint::state);
    int epoch = state.map(s -> s.counters().epoch()).orElse(0);
    int batch = state.map(s -> s.counters().batchIndex()).orElse(0);
    Executor io = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(IO_DISPATCHER));
    ActorRef<DataLoader.Command> loader = ctx.spawn(DataLoader.create(spec.source(), start.plan(), epoch, batch,
        spec.config().runtime().dataLoaderReadAhead(), io), "data-loader");
    Trainer.Setup setup = new Trainer.Setup(
        new TrainingSession.Setup(spec.config(), start.plan(), spec.seed(), state),
        spec.resolved().sha256(), start.metadata(), start.savePolicy(), start.saveDtype(),
        point.map(p -> p.saved().kind()));
    ActorRef<Trainer.Command> trainer = ctx.spawn(Trainer.create(setup, ctx.getSelf(), loader, writer), "trainer",
        DispatcherSelector.fromConfig(TRAINER_DISPATCHER));
    ctx.watchWith(writer, new RunSupervisor.ChildStopped("checkpoint writer"));
    ctx.watchWith(loader, new RunSupervisor.ChildStopped("data loader"));
    ctx.watchWith(trainer, new RunSupervisor.ChildStopped("trainer"));
    return new RunChildren(monitor, writer, loader, trainer, ema(ctx, spec, start));
  }

  /** The live post-hoc EMA when {@code post_hoc_ema.enabled}; its reports come back as {@code EmaReported}. */
  private static Optional<ActorRef<EmaMerger.Command>> ema(ActorContext<RunSupervisor.Command> ctx, RunSpec spec,
      RunStart start) {
    if (!spec.config().postHocEma().enabled()) {
      return Optional.empty();
    }
    ActorRef<EmaMerger.Report> reports = ctx.messageAdapter(EmaMerger.Report.class, RunSupervisor.EmaReported::new);
    EmaMerger.Settings settings = new EmaMerger.Settings(spec.runName(), spec.directory().outputDir(),
        spec.config().save().outputName(), spec.config().postHocEma(),
        start.savePolicy().plannedCheckpoints(start.plan()));
    ActorRef<EmaMerger.Command> ema = ctx.spawn(EmaMerger.create(settings, reports), "ema");
    ctx.watchWith(ema, new RunSupervisor.ChildStopped("post-hoc EMA"));
    return Optional.of(ema);
  }
}
