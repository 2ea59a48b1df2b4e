package org.tsumugi.engine.model;

/**
 * One micro-step's use of a block executor: {@link #run} is called once by the model's forward, {@link #backward()}
 * once after the loss's backward has given the blocks' output its gradient. Closing releases what the pass kept
 * (saved block inputs, per-block graphs) and waits for weight fetches still in flight.
 */
public interface BlockPass extends BlockExecutor, AutoCloseable {

  /** Back-propagates through the blocks whose backward the pass deferred; adds to every trainable gradient. */
  void backward();

  @Override
  void close();
}
