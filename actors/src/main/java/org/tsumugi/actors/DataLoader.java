package org.tsumugi.actors;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.tsumugi.actors.training.BatchSource;
import org.tsumugi.actors.training.HostBatch;
import org.tsumugi.engine.train.StepPlan;

/**
 * Reads the run's batches ahead of the trainer, in the run's deterministic order from a start cursor, into plain Java
 * arrays. Loads run one at a time on an IO executor, never on the trainer's thread; at most {@code readAhead} batches
 * wait, so memory stays bounded and the trainer's pulls are the back-pressure.
 */
public final class DataLoader extends AbstractBehavior<DataLoader.Command> {

  public sealed interface Command {}

  /** The next batch, please; answered with {@link Trainer.BatchArrived} or {@link Trainer.DataFailed}. */
  public record Next(ActorRef<Trainer.Command> replyTo) implements Command {}

  private record Loaded(HostBatch batch) implements Command {}

  private record LoadFailed(int epoch, int index, Throwable error) implements Command {}

  private final BatchSource source;
  private final StepPlan plan;
  private final int readAhead;
  private final Executor io;
  private final Deque<HostBatch> ready = new ArrayDeque<>();
  private ActorRef<Trainer.Command> waiting;
  private int nextEpoch;
  private int nextIndex;
  private boolean loading;
  private String failure;

  private DataLoader(ActorContext<Command> ctx, BatchSource source, StepPlan plan, int epoch, int index,
      int readAhead, Executor io) {
    super(ctx);
    this.source = source;
    this.plan = plan;
    this.readAhead = readAhead;
    this.io = io;
    this.nextEpoch = epoch;
    this.nextIndex = index;
    skipEndedEpochs();
    loadMore();
  }

  /**
   * @param epoch 0-based epoch of the first batch to read; {@code index} its 0-based batch index
   */
  public static Behavior<Command> create(BatchSource source, StepPlan plan, int epoch, int index, int readAhead,
      Executor io) {
    return Behaviors.setup(ctx -> new DataLoader(ctx, source, plan, epoch, index, readAhead, io));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Next.class, this::onNext)
        .onMessage(Loaded.class, this::onLoaded)
        .onMessage(LoadFailed.class, this::onLoadFailed)
        .build();
  }

  private Behavior<Command> onNext(Next next) {
    if (!ready.isEmpty()) {
      next.replyTo().tell(new Trainer.BatchArrived(ready.poll()));
      loadMore();
    } else if (failure != null) {
      next.replyTo().tell(new Trainer.DataFailed(failure));
    } else {
      waiting = next.replyTo();
      loadMore();
    }
    return this;
  }

  private void loadMore() {
    if (loading || failure != null || ready.size() >= readAhead || nextEpoch >= plan.numTrainEpochs()) {
      return;
    }
    int epoch = nextEpoch;
    int index = nextIndex;
    loading = true;
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> load(epoch, index), io),
        (batch, error) -> error == null ? new Loaded(batch) : new LoadFailed(epoch, index, cause(error)));
  }

  private HostBatch load(int epoch, int index) {
    try {
      return source.load(epoch, index);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Behavior<Command> onLoaded(Loaded loaded) {
    loading = false;
    nextIndex++;
    skipEndedEpochs();
    if (waiting != null) {
      waiting.tell(new Trainer.BatchArrived(loaded.batch()));
      waiting = null;
    } else {
      ready.add(loaded.batch());
    }
    loadMore();
    return this;
  }

  /** Moves past the end of an epoch: its last batch, or the step where the run stops. */
  private void skipEndedEpochs() {
    while (nextEpoch < plan.numTrainEpochs()
        && (nextIndex >= plan.batchesPerEpoch() || !plan.runs(nextEpoch, nextIndex))) {
      nextEpoch++;
      nextIndex = 0;
    }
  }

  private Behavior<Command> onLoadFailed(LoadFailed f) {
    loading = false;
    failure = "cannot read batch " + f.index() + " of epoch " + (f.epoch() + 1) + ": " + f.error().getMessage();
    getContext().getLog().error(failure, f.error());
    if (waiting != null) {
      waiting.tell(new Trainer.DataFailed(failure));
      waiting = null;
    }
    return this;
  }

  private static Throwable cause(Throwable error) {
    Throwable t = error;
    while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.io.UncheckedIOException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
