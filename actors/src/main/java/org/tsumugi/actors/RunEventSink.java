package org.tsumugi.actors;

/**
 * A monitoring projection (console, TensorBoard, JSON lines, live page). The Monitor actor calls it for every event
 * in ledger order, on the monitor's own dispatcher; a sink never blocks the trainer.
 */
public interface RunEventSink extends AutoCloseable {

  void accept(RunEvent event);

  @Override
  default void close() {}
}
