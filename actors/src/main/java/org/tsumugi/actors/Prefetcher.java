package org.tsumugi.actors;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.tsumugi.engine.model.BlockFetcher;
import org.tsumugi.engine.model.BlockResidency;

/**
 * Brings streamed DiT blocks in from the offload tier ahead of the trainer (ARCHITECTURE.md, "One run as message
 * flows"): the trainer's block executor asks for block i+1 while block i computes, and waits for the reply only when
 * it needs the block. The copy blocks a thread, so the actor runs on a dispatcher of its own, never the default one.
 * It holds no math: {@link BlockResidency#bringIn} does the work.
 */
public final class Prefetcher extends AbstractBehavior<Prefetcher.Command> {

  /** Config path of the prefetcher's dispatcher; when absent, Pekko's blocking-IO dispatcher is used. */
  public static final String DISPATCHER_PATH = "tsumugi.prefetcher-dispatcher";

  public interface Command extends CborSerializable {}

  /** Bring {@code block}'s weights into its slot; answered with {@link Fetched} or {@link FetchFailed}. */
  public record Fetch(int block, ActorRef<FetchResult> replyTo) implements Command {}

  public sealed interface FetchResult extends CborSerializable permits Fetched, FetchFailed {}

  /** The block's weights are in place; {@code millis} is how long the read took. */
  public record Fetched(int block, double millis) implements FetchResult {}

  /** The read failed; {@code reason} names the tensor and file where known. */
  public record FetchFailed(int block, String reason) implements FetchResult {}

  private final BlockResidency residency;

  private Prefetcher(ActorContext<Command> context, BlockResidency residency) {
    super(context);
    this.residency = residency;
  }

  /** A prefetcher for one model's streamed blocks. */
  public static Behavior<Command> create(BlockResidency residency) {
    return Behaviors.setup(context -> new Prefetcher(context, residency));
  }

  /** Where to spawn it: the configured dispatcher if {@value #DISPATCHER_PATH} exists, else the blocking one. */
  public static DispatcherSelector dispatcher(ActorSystem<?> system) {
    return system.settings().config().hasPath(DISPATCHER_PATH)
        ? DispatcherSelector.fromConfig(DISPATCHER_PATH)
        : DispatcherSelector.blocking();
  }

  /**
   * The prefetcher as the engine's {@link BlockFetcher}: each fetch is an ask. A request for another model's
   * residency is refused.
   */
  public static BlockFetcher fetcher(ActorRef<Command> prefetcher, BlockResidency residency, Scheduler scheduler,
      Duration timeout) {
    return (asked, block) -> {
      if (asked != residency) {
        return CompletableFuture.failedFuture(new IllegalArgumentException("block " + block
            + " belongs to another model than the one this prefetcher serves"));
      }
      return AskPattern.<Command, FetchResult>ask(prefetcher, replyTo -> new Fetch(block, replyTo), timeout, scheduler)
          .thenApply(result -> {
            if (result instanceof FetchFailed failed) {
              throw new CompletionException(new IllegalStateException("prefetching block " + failed.block()
                  + " failed: " + failed.reason()));
            }
            return null;
          });
    };
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Fetch.class, this::onFetch).build();
  }

  private Behavior<Command> onFetch(Fetch fetch) {
    long start = System.nanoTime();
    try {
      residency.bringIn(fetch.block());
      double millis = (System.nanoTime() - start) / 1e6;
      getContext().getLog().debug("block {} brought in in {} ms", fetch.block(), millis);
      fetch.replyTo().tell(new Fetched(fetch.block(), millis));
    } catch (RuntimeException e) {
      getContext().getLog().warn("block {} could not be brought in: {}", fetch.block(), e.toString());
      fetch.replyTo().tell(new FetchFailed(fetch.block(), e.toString()));
    }
    return this;
  }
}
