package org.tsumugi.engine.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/** Prodigy's step-size estimate and its running sums (the reference keeps them in every param group alike). */
final class ProdigyEstimate {
  double d;
  double dMax;
  double dNumerator;
  double dDenominator;
  double dHat;
  long k;

  ProdigyEstimate(double d0) {
    this.d = d0;
    this.dMax = d0;
  }

  /** Folds one step's sums into d (reference: Prodigy.step between its two parameter loops). */
  void update(Prodigy.Settings settings, double lr, double deltaNumerator, double dDenominatorNow) {
    double numerator = dNumerator * settings.beta3OrDefault() + deltaNumerator;
    if (lr > 0) {
      dHat = settings.dCoef() * numerator / dDenominatorNow;
      if (d == settings.d0()) {
        d = Math.max(d, dHat);
      }
      dMax = Math.max(dMax, dHat);
      d = Math.min(dMax, d * settings.growthRate());
    }
    dNumerator = numerator;
    dDenominator = dDenominatorNow;
  }

  Map<String, Double> scalars() {
    Map<String, Double> scalars = new LinkedHashMap<>();
    scalars.put("d", d);
    scalars.put("d_max", dMax);
    scalars.put("d_numerator", dNumerator);
    scalars.put("d_denom", dDenominator);
    scalars.put("d_hat", dHat);
    scalars.put("k", (double) k);
    return scalars;
  }

  void restore(OptimizerState saved) {
    d = saved.scalar("d");
    dMax = saved.scalar("d_max");
    dNumerator = saved.scalar("d_numerator");
    dDenominator = saved.scalar("d_denom");
    dHat = saved.scalar("d_hat");
    k = (long) saved.scalar("k");
  }
}
