package org.tsumugi.engine.train;

import java.util.OptionalInt;
import org.tsumugi.config.TimestepConfig;
import org.tsumugi.config.TimestepSampling;
import org.tsumugi.config.WeightingScheme;

/** Test shorthand for a TimestepConfig that differs from the defaults in a few options. */
final class TimestepConfigBuilder {
  private TimestepSampling sampling;
  private double sigmoidScale = 1.0;
  private double discreteFlowShift = 1.0;
  private WeightingScheme weightingScheme = WeightingScheme.NONE;
  private double logitMean = 0.0;
  private double logitStd = 1.0;
  private double modeScale = 1.29;
  private OptionalInt minTimestep = OptionalInt.empty();
  private OptionalInt maxTimestep = OptionalInt.empty();
  private boolean preserve;
  private OptionalInt buckets = OptionalInt.empty();

  private TimestepConfigBuilder(TimestepSampling sampling) {
    this.sampling = sampling;
  }

  static TimestepConfigBuilder of(TimestepSampling sampling) {
    return new TimestepConfigBuilder(sampling);
  }

  TimestepConfigBuilder sigmoidScale(double v) {
    sigmoidScale = v;
    return this;
  }

  TimestepConfigBuilder shift(double v) {
    discreteFlowShift = v;
    return this;
  }

  TimestepConfigBuilder weighting(WeightingScheme v) {
    weightingScheme = v;
    return this;
  }

  TimestepConfigBuilder logit(double mean, double std) {
    logitMean = mean;
    logitStd = std;
    return this;
  }

  TimestepConfigBuilder modeScale(double v) {
    modeScale = v;
    return this;
  }

  TimestepConfigBuilder range(int min, int max) {
    minTimestep = OptionalInt.of(min);
    maxTimestep = OptionalInt.of(max);
    return this;
  }

  TimestepConfigBuilder preserveShape() {
    preserve = true;
    return this;
  }

  TimestepConfigBuilder buckets(int n) {
    buckets = OptionalInt.of(n);
    return this;
  }

  TimestepConfig build() {
    return new TimestepConfig(sampling, sigmoidScale, discreteFlowShift, weightingScheme, logitMean, logitStd,
        modeScale, minTimestep, maxTimestep, preserve, buckets);
  }
}
