package org.tsumugi.engine.train;

import java.util.OptionalDouble;

/**
 * REX, the reflected exponential schedule (reference RexLR; reference/training.md §4.4): max_lr = learning_rate,
 * min_lr = learning_rate·(lr_scheduler_min_lr_ratio, default 0.01), R = N − W, m = min_lr/max_lr,
 * α = rex_alpha (0.1), β = rex_beta (0.9). At step k:
 * <ul>
 *   <li>W = 1 and k = 1: min_lr;</li>
 *   <li>W &gt; 1 and 1 ≤ k ≤ W − 1: min_lr + (max_lr − min_lr)·(k − 1)/(W − 1) (absolute, the same for every
 *       group);</li>
 *   <li>otherwise a = k − W: min_lr if a ≥ R, a = −1 or R ≤ 0; else z = (R − (a mod R))/R and
 *       lr = base_lr·(m + (1 − m)·z/(α + β·z)).</li>
 * </ul>
 * KEPT quirks: step 0 with W &gt; 1 is not a warmup step and takes the curve at a = −W, i.e. z = W/R (mod is the
 * floor modulo); with W = 1 step 0 is min_lr (a = −1); warmup values ignore a group's own base lr.
 */
final class RexCurve {
  private final double maxLr;
  private final double minLr;
  private final long totalSteps;
  private final long warmupSteps;
  private final double alpha;
  private final double beta;

  private RexCurve(double maxLr, double minLr, long totalSteps, long warmupSteps, double alpha, double beta) {
    this.maxLr = maxLr;
    this.minLr = minLr;
    this.totalSteps = totalSteps;
    this.warmupSteps = warmupSteps;
    this.alpha = alpha;
    this.beta = beta;
  }

  static RexCurve create(
      LrSchedulerArgs args, OptionalDouble minLrRatio, double learningRate, long totalSteps, long warmupSteps) {
    if (!(learningRate > 0)) {
      throw new TrainingOptionException("learning_rate", "lr_scheduler rex needs a positive learning_rate, got "
          + learningRate);
    }
    double minLr = learningRate * minLrRatio.orElse(0.01);
    if (minLr > learningRate) {
      throw new TrainingOptionException("lr_scheduler_min_lr_ratio",
          "lr_scheduler rex needs min lr ≤ learning_rate, got ratio " + minLrRatio.orElse(0.01));
    }
    if (warmupSteps > totalSteps) {
      throw new TrainingOptionException("lr_warmup_steps",
          "lr_scheduler rex needs warmup ≤ total steps, got " + warmupSteps + " of " + totalSteps);
    }
    return new RexCurve(learningRate, minLr, totalSteps, warmupSteps,
        args.number("rex_alpha").orElse(0.1), args.number("rex_beta").orElse(0.9));
  }

  double lr(double baseLr, long k) {
    if (warmupSteps == 1 && k == 1) {
      return minLr;
    }
    if (warmupSteps > 1 && k >= 1 && k <= warmupSteps - 1) {
      return minLr + (maxLr - minLr) * (k - 1) / (warmupSteps - 1);
    }
    long after = k - warmupSteps;
    long remaining = totalSteps - warmupSteps;
    if (after >= remaining || after == -1 || remaining <= 0) {
      return minLr;
    }
    double z = (double) (remaining - Math.floorMod(after, remaining)) / remaining;
    double m = minLr / maxLr;
    return baseLr * (m + (1.0 - m) * (z / (alpha + beta * z)));
  }
}
