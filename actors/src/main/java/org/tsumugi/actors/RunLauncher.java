package org.tsumugi.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.tsumugi.actors.run.RunDirectory;
import org.tsumugi.actors.run.RunSpec;

/**
 * Runs one run in an actor system of its own whose ledger lives in the run directory, and waits for its outcome. The
 * caller holds the directory's {@link org.tsumugi.actors.run.RunLock}.
 */
public final class RunLauncher {

  private RunLauncher() {}

  /** The actor system's settings for a run directory: the RocksDB ledger plugins pointed into {@code .tsumugi/}. */
  public static Config systemConfig(RunDirectory dir) {
    return ConfigFactory.parseMap(Map.of(
            "pekko.persistence.journal.plugin", "tsumugi.persistence.journal",
            "pekko.persistence.snapshot-store.plugin", "tsumugi.persistence.snapshot-store",
            "tsumugi.persistence.journal.dir", dir.journal().toString(),
            "tsumugi.persistence.snapshot-store.dir", dir.snapshots().toString()))
        .withFallback(ConfigFactory.load());
  }

  /** Runs {@code spec} to its end (blocking) and returns how it ended. */
  public static RunOutcome run(RunSpec spec, RunSupervisor.Sinks sinks) throws InterruptedException {
    CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
    ActorSystem<Guardian> system = ActorSystem.create(guardian(spec, sinks, outcome), "tsumugi",
        systemConfig(spec.directory()));
    try {
      system.getWhenTerminated().toCompletableFuture().get();
      return outcome.getNow(new RunOutcome.Failed(0, "the actor system ended before the run did"));
    } catch (ExecutionException e) {
      return new RunOutcome.Failed(0, "the actor system failed: " + e.getCause());
    } finally {
      system.terminate();
    }
  }

  /** The root: starts the supervisor, ends the system with its outcome, or with a failure if it dies without one. */
  interface Guardian {}

  private record Ended(RunOutcome outcome) implements Guardian {}

  private enum SupervisorStopped implements Guardian { INSTANCE }

  private static Behavior<Guardian> guardian(RunSpec spec, RunSupervisor.Sinks sinks,
      CompletableFuture<RunOutcome> outcome) {
    return Behaviors.setup(ctx -> {
      ActorRef<RunOutcome> replies = ctx.messageAdapter(RunOutcome.class, Ended::new);
      ActorRef<RunSupervisor.Command> supervisor = ctx.spawn(RunSupervisor.create(spec, sinks, replies), "run");
      ctx.watchWith(supervisor, SupervisorStopped.INSTANCE);
      return Behaviors.receive(Guardian.class)
          .onMessage(Ended.class, e -> {
            outcome.complete(e.outcome());
            return Behaviors.same();
          })
          .onMessage(SupervisorStopped.class, s -> {
            outcome.complete(new RunOutcome.Failed(0, "the run supervisor stopped before the run ended: its ledger "
                + "in " + spec.directory().journal() + " could not be read or written (see the log above)"));
            return Behaviors.stopped();
          })
          .build();
    });
  }
}
