package org.tsumugi.engine.train;

import java.util.Arrays;
import java.util.List;
import org.tsumugi.config.LrSchedulerConfig;
import org.tsumugi.config.LrSchedulerType;
import org.tsumugi.config.OptimizerConfig;
import org.tsumugi.config.OptimizerType;
import org.tsumugi.engine.optim.Adafactor;
import org.tsumugi.engine.optim.Optimizer;
import org.tsumugi.engine.optim.OptimizerFactory;
import org.tsumugi.engine.optim.ParameterGroup;

/**
 * The learning-rate scheduler a run actually uses (reference/training.md §4.2, §4.4): the schedule of
 * {@code lr_scheduler}, or what the reference puts in its place: Adafactor's own schedule when Adafactor sets its own
 * step size (relative_step; the reference's {@code adafactor:<lr>} AdafactorSchedule), and a constant one for
 * schedule-free optimizers (the reference's dummy scheduler, which reports the groups' rates and never changes them).
 */
public sealed interface LrScheduler {

  /** The rate each group passes to optimizer update k (k = 0 for the first update). */
  double[] rates(long k);

  /** The rate each group's update k applied, known once it is done (Adafactor with relative_step sets its own). */
  double[] applied(long k);

  /**
   * What the reference's {@code lr_scheduler.get_last_lr()} reports once {@code updatesDone} updates are done, logged
   * as {@code lr/<group>}: the next update's rate for a schedule.
   */
  double[] reported(long updatesDone);

  /** The scheduler of a run whose optimizer and groups are built; refuses what the reference refuses. */
  static LrScheduler of(OptimizerConfig optimizerConfig, LrSchedulerConfig config, long totalSteps,
      Optimizer optimizer, List<ParameterGroup> groups) {
    double[] baseLrs = groups.stream().mapToDouble(ParameterGroup::learningRate).toArray();
    if (OptimizerFactory.usesRelativeStep(optimizerConfig)) {
      long warmup = config.lrWarmupSteps().resolve(totalSteps);
      if (warmup != 0) {
        throw new TrainingOptionException("lr_warmup_steps", "Adafactor with relative_step sets its own schedule,"
            + " which takes no warmup, got " + warmup + " steps");
      }
      return new AdafactorOwn((Adafactor) optimizer, groups, optimizerConfig.learningRate());
    }
    if (optimizerConfig.scheduleFree()) {
      return new Constant(baseLrs);
    }
    if (config.lrScheduler() == LrSchedulerType.ADAFACTOR) {
      throw new TrainingOptionException("lr_scheduler", "adafactor needs optimizer_type Adafactor with"
          + " relative_step, got " + optimizerConfig.optimizerType().optionName()
          + (optimizerConfig.optimizerType() == OptimizerType.ADAFACTOR ? " with relative_step=False" : ""));
    }
    return new Scheduled(LrSchedule.create(config, totalSteps, optimizerConfig.learningRate(), baseLrs),
        groups.size());
  }

  /** {@code lr_scheduler}'s schedule. */
  record Scheduled(LrSchedule schedule, int groups) implements LrScheduler {
    @Override
    public double[] rates(long k) {
      double[] lrs = new double[groups];
      for (int g = 0; g < groups; g++) {
        lrs[g] = schedule.lr(g, k);
      }
      return lrs;
    }

    @Override
    public double[] applied(long k) {
      return rates(k);
    }

    @Override
    public double[] reported(long updatesDone) {
      return rates(updatesDone);
    }
  }

  /**
   * Adafactor's own schedule. It reports, per group, the step size of the group's first parameter at its last update
   * (RMS-scaled), and {@code learning_rate} for every group before the first update, as transformers'
   * AdafactorSchedule does; the rates passed to the optimizer are not read. What it reports is the optimizer's current
   * state, so {@code updatesDone} must be the optimizer's step count.
   */
  record AdafactorOwn(Adafactor optimizer, List<ParameterGroup> groups, double learningRate) implements LrScheduler {
    public AdafactorOwn {
      groups = List.copyOf(groups);
    }

    @Override
    public double[] rates(long k) {
      double[] lrs = new double[groups.size()];
      Arrays.fill(lrs, learningRate);
      return lrs;
    }

    @Override
    public double[] applied(long k) {
      return reported(k + 1);
    }

    @Override
    public double[] reported(long updatesDone) {
      double[] lrs = new double[groups.size()];
      for (int g = 0; g < lrs.length; g++) {
        lrs[g] = optimizer.reportedLearningRate(groups.get(g), learningRate);
      }
      return lrs;
    }
  }

  /** The schedule-free optimizers' constant rates (each group's base rate; the optimizer warms up internally). */
  record Constant(double[] baseLrs) implements LrScheduler {
    public Constant {
      baseLrs = baseLrs.clone();
    }

    @Override
    public double[] rates(long k) {
      return baseLrs.clone();
    }

    @Override
    public double[] applied(long k) {
      return rates(k);
    }

    @Override
    public double[] reported(long updatesDone) {
      return rates(updatesDone);
    }
  }
}
