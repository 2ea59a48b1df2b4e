package org.tsumugi.persistence.rocksdb;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * An event-sourced counter whose events and state are Java records serialized with jackson-cbor. It snapshots
 * every 3 events, keeps 2 snapshots and deletes the events they cover, so that recovery exercises snapshot load,
 * snapshot deletion and event deletion together.
 */
final class Counter extends EventSourcedBehavior<Counter.Command, Counter.Event, Counter.State> {
  sealed interface Command permits Add, AddAll, Get {}

  record Add(int delta, ActorRef<Long> replyTo) implements Command {}

  /** Persisted as one AtomicWrite. */
  record AddAll(List<Integer> deltas, ActorRef<Long> replyTo) implements Command {}

  record Get(ActorRef<Long> replyTo) implements Command {}

  sealed interface Event extends CborSerializable permits Added {}

  record Added(int delta) implements Event {}

  record State(long total) implements CborSerializable {
    State add(int delta) {
      return new State(total + delta);
    }
  }

  /** Plugin ids and their per-test sections. */
  record Plugins(String journalId, Config journal, String snapshotStoreId, Config snapshotStore) {}

  private final Plugins plugins;

  private Counter(PersistenceId id, Plugins plugins) {
    super(id);
    this.plugins = plugins;
  }

  static Behavior<Command> create(String id, Plugins plugins) {
    return new Counter(PersistenceId.of("Counter", id), plugins);
  }

  @Override
  public State emptyState() {
    return new State(0);
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Add.class, c -> Effect().persist(new Added(c.delta())).thenReply(c.replyTo(), State::total))
        .onCommand(AddAll.class, c -> Effect()
            .persist(c.deltas().stream().<Event>map(Added::new).toList())
            .thenReply(c.replyTo(), State::total))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.total()))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onEvent(Added.class, (s, e) -> s.add(e.delta())).build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(3, 2).withDeleteEventsOnSnapshot();
  }

  @Override
  public String journalPluginId() {
    return plugins.journalId();
  }

  @Override
  public Optional<Config> journalPluginConfig() {
    return Optional.of(plugins.journal());
  }

  @Override
  public String snapshotPluginId() {
    return plugins.snapshotStoreId();
  }

  @Override
  public Optional<Config> snapshotPluginConfig() {
    return Optional.of(plugins.snapshotStore());
  }
}
