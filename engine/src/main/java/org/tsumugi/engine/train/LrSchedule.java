package org.tsumugi.engine.train;

import org.tsumugi.config.LrSchedulerConfig;
import org.tsumugi.config.LrSchedulerType;

/**
 * The learning-rate schedule λ(k) of every {@code lr_scheduler} of reference/training.md §4.4, as a pure function of
 * the optimizer step k (k = 0 for the first update, so warmup schedules give lr 0 to the very first update; the lr
 * logged at global step g is λ(g), the next update's). N = total optimizer steps, W = {@code lr_warmup_steps} and
 * D = {@code lr_decay_steps} resolved against N, C = {@code lr_scheduler_num_cycles}.
 *
 * <p>Reference behaviours kept or changed (for reference.conf):
 * <ul>
 *   <li>{@code constant}: KEPT refuses a non-zero {@code lr_warmup_steps}.</li>
 *   <li>{@code cosine}: KEPT {@code lr_scheduler_num_cycles} is ignored (half a cosine wave); the wave count can be
 *       set with {@code lr_scheduler_args num_cycles=...} as in the reference.</li>
 *   <li>{@code cosine_with_min_lr}, {@code warmup_stable_decay}: KEPT C is halved (C = 1 is half a wave).</li>
 *   <li>{@code polynomial}: KEPT lr_end = 1e-7 (absolute, {@code lr_scheduler_args lr_end=...}) and the requirement
 *       learning_rate &gt; lr_end. CHANGED W = N is refused (the reference divides by zero at step W).</li>
 *   <li>{@code piecewise_constant}: KEPT {@code step_rules} steps are absolute boundaries ("1:10,0.1:20,0.01" is 1 for
 *       k &lt; 10, 0.1 for 10 ≤ k &lt; 20, then 0.01), not durations as the diffusers docstring says; W is ignored.</li>
 *   <li>{@code rex}: KEPT its warmup from min_lr in absolute lrs shared by all groups, and its quirks, see
 *       {@link RexCurve}.</li>
 *   <li>{@code lr_scheduler_args}: CHANGED a key the schedule does not take is refused up front.</li>
 *   <li>{@code adafactor}: not a schedule of its own; Adafactor with relative_step, and schedule-free optimizers,
 *       replace the schedule as the reference does ({@link LrScheduler}).</li>
 * </ul>
 */
public final class LrSchedule {
  private final LrSchedulerType type;
  private final long totalSteps;
  private final long warmupSteps;
  private final long decaySteps;
  private final double learningRate;
  private final double[] groupBaseLrs;
  private final Curve curve;
  private final RexCurve rex;

  /** λ(k) relative to a group's base lr. */
  @FunctionalInterface
  interface Curve {
    double factor(long k);
  }

  private LrSchedule(LrSchedulerConfig config, long totalSteps, double learningRate, double[] groupBaseLrs) {
    if (totalSteps < 1) {
      throw new TrainingOptionException("max_train_steps", "must be at least 1, got " + totalSteps);
    }
    this.type = config.lrScheduler();
    this.totalSteps = totalSteps;
    this.warmupSteps = nonNegative("lr_warmup_steps", config.lrWarmupSteps().resolve(totalSteps));
    this.decaySteps = nonNegative("lr_decay_steps", config.lrDecaySteps().resolve(totalSteps));
    this.learningRate = learningRate;
    this.groupBaseLrs = groupBaseLrs.clone();
    String name = type.optionName();
    if (type == LrSchedulerType.REX) {
      this.rex = RexCurve.create(
          new LrSchedulerArgs(config.schedulerArgs(), name, ScheduleCurves.allowedArgs(type)),
          config.lrSchedulerMinLrRatio(), learningRate, totalSteps, warmupSteps);
      this.curve = k -> rex.lr(learningRate, k) / learningRate;
    } else {
      this.rex = null;
      this.curve = ScheduleCurves.curve(config, totalSteps, warmupSteps, decaySteps, learningRate);
    }
  }

  /**
   * The schedule of a run.
   *
   * @param totalSteps N, the planned optimizer steps ({@code max_train_steps} × processes)
   * @param learningRate {@code learning_rate} (the optimizer's default lr: polynomial's lr_init, REX's max_lr)
   * @param groupBaseLrs the base lr of each parameter group (e.g. lora and, with loraplus, lora_up)
   */
  public static LrSchedule create(
      LrSchedulerConfig config, long totalSteps, double learningRate, double[] groupBaseLrs) {
    return new LrSchedule(config, totalSteps, learningRate, groupBaseLrs);
  }

  /** λ(k): the lr of update k divided by the group's base lr (for REX: by {@code learning_rate}). */
  public double factor(long optimizerStep) {
    return curve.factor(optimizerStep);
  }

  /** The lr that update k uses in parameter group {@code group}. */
  public double lr(int group, long optimizerStep) {
    double base = groupBaseLrs[group];
    return rex != null ? rex.lr(base, optimizerStep) : base * curve.factor(optimizerStep);
  }

  public LrSchedulerType type() {
    return type;
  }

  public long totalSteps() {
    return totalSteps;
  }

  /** W, resolved. */
  public long warmupSteps() {
    return warmupSteps;
  }

  /** D, resolved. */
  public long decaySteps() {
    return decaySteps;
  }

  public double learningRate() {
    return learningRate;
  }

  private static long nonNegative(String option, long value) {
    if (value < 0) {
      throw new TrainingOptionException(option, "must not be negative, got " + value);
    }
    return value;
  }
}
