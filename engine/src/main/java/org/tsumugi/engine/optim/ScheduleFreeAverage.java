package org.tsumugi.engine.optim;

import java.util.Map;

/** One param group's schedule-free averaging counters (reference: the group's k, weight_sum, lr_max). */
final class ScheduleFreeAverage {
  long k;
  double weightSum;
  double lrMax = -1.0;
  double scheduledLr;
  double lastWeightShare;

  /** Advances to step k + 1 with the group's lr; returns the warmed-up lr and sets the averaging weight c. */
  double advance(AdamWScheduleFree.Settings settings, double groupLr) {
    double sched = k < settings.warmupSteps() ? (double) (k + 1) / settings.warmupSteps() : 1.0;
    double lr = groupLr * sched;
    scheduledLr = lr;
    lrMax = Math.max(lr, lrMax);
    double weight = Math.pow(k + 1, settings.r()) * Math.pow(lrMax, settings.weightLrPower());
    weightSum += weight;
    lastWeightShare = weightSum == 0 ? 0 : weight / weightSum;
    k++;
    return lr;
  }

  void putScalars(String prefix, Map<String, Double> scalars) {
    scalars.put(prefix + "k", (double) k);
    scalars.put(prefix + "weight_sum", weightSum);
    scalars.put(prefix + "lr_max", lrMax);
    scalars.put(prefix + "scheduled_lr", scheduledLr);
  }

  void restore(String prefix, OptimizerState saved) {
    k = (long) saved.scalar(prefix + "k");
    weightSum = saved.scalar(prefix + "weight_sum");
    lrMax = saved.scalar(prefix + "lr_max");
    scheduledLr = saved.scalar(prefix + "scheduled_lr");
  }
}
