package org.tsumugi.actors;

import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Fans the run's events out to its monitoring sinks, in ledger order, on its own dispatcher. A sink that throws is
 * logged and kept: monitoring never stops a run.
 */
public final class Monitor extends AbstractBehavior<Monitor.Command> {

  public sealed interface Command {}

  /** An event the ledger has recorded. */
  public record Publish(RunEvent event) implements Command {}

  /** Stop after publishing everything sent before; the sinks are closed. */
  public enum Close implements Command { INSTANCE }

  private final List<RunEventSink> sinks;

  private Monitor(ActorContext<Command> ctx, List<RunEventSink> sinks) {
    super(ctx);
    this.sinks = List.copyOf(sinks);
  }

  public static Behavior<Command> create(List<RunEventSink> sinks) {
    return Behaviors.setup(ctx -> new Monitor(ctx, sinks));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Publish.class, this::onPublish)
        .onMessage(Close.class, c -> Behaviors.stopped())
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  private Behavior<Command> onPublish(Publish p) {
    for (RunEventSink sink : sinks) {
      try {
        sink.accept(p.event());
      } catch (RuntimeException e) {
        getContext().getLog().warn("monitoring sink {} failed on {}: {}", sink.getClass().getSimpleName(),
            p.event().getClass().getSimpleName(), e.toString());
      }
    }
    return this;
  }

  private Behavior<Command> onPostStop() {
    for (RunEventSink sink : sinks) {
      try {
        sink.close();
      } catch (RuntimeException e) {
        getContext().getLog().warn("monitoring sink {} failed to close: {}", sink.getClass().getSimpleName(),
            e.toString());
      }
    }
    return this;
  }
}
