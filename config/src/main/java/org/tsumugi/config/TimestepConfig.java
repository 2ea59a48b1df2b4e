package org.tsumugi.config;

import java.util.OptionalInt;

/**
 * The timestep options of reference/training.md §2, with the reference's names and defaults.
 *
 * @param minTimestep {@code min_timestep}, empty when unset (the reference's None)
 * @param maxTimestep {@code max_timestep}, empty when unset
 * @param numTimestepBuckets {@code num_timestep_buckets}, empty when unset (values ≤ 1 disable it too)
 */
public record TimestepConfig(
    TimestepSampling timestepSampling,
    double sigmoidScale,
    double discreteFlowShift,
    WeightingScheme weightingScheme,
    double logitMean,
    double logitStd,
    double modeScale,
    OptionalInt minTimestep,
    OptionalInt maxTimestep,
    boolean preserveDistributionShape,
    OptionalInt numTimestepBuckets) {

  /** The reference trainer's defaults. */
  public static TimestepConfig defaults() {
    return new TimestepConfig(
        TimestepSampling.SIGMA, 1.0, 1.0, WeightingScheme.NONE, 0.0, 1.0, 1.29,
        OptionalInt.empty(), OptionalInt.empty(), false, OptionalInt.empty());
  }

  public TimestepConfig withSampling(TimestepSampling sampling) {
    return new TimestepConfig(sampling, sigmoidScale, discreteFlowShift, weightingScheme, logitMean, logitStd,
        modeScale, minTimestep, maxTimestep, preserveDistributionShape, numTimestepBuckets);
  }
}
