package org.tsumugi.engine.optim;

/** Optimizer state that cannot be used: a saved state missing a tensor or counter, or one of the wrong shape. */
public final class OptimizerStateException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public OptimizerStateException(String message) {
    super(message);
  }
}
