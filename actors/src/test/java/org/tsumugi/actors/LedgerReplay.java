package org.tsumugi.actors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.tsumugi.actors.run.RunDirectory;

/**
 * A run's ledger as recorded on disk: its events replayed from the run directory's RocksDB journal by a reader with the
 * run's persistence id, in an actor system of its own (the run's must have ended).
 */
final class LedgerReplay {

  private LedgerReplay() {}

  static List<RunEvent> events(RunDirectory dir, String runName) throws Exception {
    CompletableFuture<List<RunEvent>> replayed = new CompletableFuture<>();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.<Void>setup(ctx -> {
      ctx.spawn(reader(runName, replayed), "ledger-reader");
      return Behaviors.empty();
    }), "ledger-replay", RunLauncher.systemConfig(dir));
    try {
      return replayed.get(30, TimeUnit.SECONDS);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** The ledger folded from the replayed events, as the RunSupervisor recovers it. */
  static RunLedger ledger(List<RunEvent> events) {
    RunLedger ledger = RunLedger.empty();
    for (RunEvent e : events) {
      ledger = ledger.apply(e);
    }
    return ledger;
  }

  private static Behavior<Object> reader(String runName, CompletableFuture<List<RunEvent>> replayed) {
    return Behaviors.setup(ctx -> new Reader(runName, replayed));
  }

  private static final class Reader extends EventSourcedBehavior<Object, RunEvent, List<RunEvent>> {
    private final CompletableFuture<List<RunEvent>> replayed;

    Reader(String runName, CompletableFuture<List<RunEvent>> replayed) {
      super(PersistenceId.ofUniqueId(runName));
      this.replayed = replayed;
    }

    @Override
    public List<RunEvent> emptyState() {
      return new ArrayList<>();
    }

    @Override
    public CommandHandler<Object, RunEvent, List<RunEvent>> commandHandler() {
      return newCommandHandlerBuilder().forAnyState().onAnyCommand(c -> Effect().none());
    }

    @Override
    public EventHandler<List<RunEvent>, RunEvent> eventHandler() {
      return newEventHandlerBuilder().forAnyState().onAnyEvent((events, e) -> {
        events.add(e);
        return events;
      });
    }

    @Override
    public SignalHandler<List<RunEvent>> signalHandler() {
      return newSignalHandlerBuilder()
          .onSignal(RecoveryCompleted.instance(), events -> replayed.complete(List.copyOf(events)))
          .onSignal(RecoveryFailed.class, (events, failed) -> replayed.completeExceptionally(failed.getFailure()))
          .build();
    }
  }
}
