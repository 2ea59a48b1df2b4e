package org.tsumugi.engine.train;

/**
 * A training option whose value the math cannot work with (e.g. {@code lr_scheduler constant} with warmup steps,
 * {@code min_timestep ≥ max_timestep}). The message names the option, the value and what is allowed; the config
 * loader normally refuses such values first and adds the file and line.
 */
public final class TrainingOptionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String option;

  public TrainingOptionException(String option, String message) {
    super(option + ": " + message);
    this.option = option;
  }

  /** The option's name as users write it, e.g. {@code lr_warmup_steps}. */
  public String option() {
    return option;
  }
}
