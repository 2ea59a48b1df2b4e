package org.tsumugi.actors;

import java.util.List;

/**
 * A monitoring sink that takes its time over every event, as a TensorBoard or JSON-lines writer on a busy disk may, so
 * that events are still waiting in the Monitor's mailbox when a run ends. Collects what it is given.
 */
final class SlowSink implements RunEventSink {
  private static final long MILLIS_PER_EVENT = 100;

  private final List<RunEvent> events;

  SlowSink(List<RunEvent> events) {
    this.events = events;
  }

  @Override
  public void accept(RunEvent event) {
    try {
      Thread.sleep(MILLIS_PER_EVENT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    events.add(event);
  }
}
