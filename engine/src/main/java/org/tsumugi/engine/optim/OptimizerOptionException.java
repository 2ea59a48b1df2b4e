package org.tsumugi.engine.optim;

/**
 * An {@code optimizer_args} entry that the chosen optimizer does not take, or whose value it cannot use. The message
 * names the argument, the value and what is allowed; the config loader adds the file and line.
 */
public final class OptimizerOptionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public OptimizerOptionException(String message) {
    super("optimizer_args: " + message);
  }

  public OptimizerOptionException(String message, Throwable cause) {
    super("optimizer_args: " + message, cause);
  }

  /** The option's name as users write it. */
  public String option() {
    return "optimizer_args";
  }
}
