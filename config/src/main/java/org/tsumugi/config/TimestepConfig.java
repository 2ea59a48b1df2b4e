package org.tsumugi.config;

import java.util.OptionalInt;

/**
 * The timestep options of reference/training.md §2, with the reference's names and defaults, and what the loss makes
 * of the noise level: {@code weighting_scheme} (§1.3) and the loss type with its Huber threshold schedule over the
 * noise level ({@link LossConfig}, §3).
 *
 * @param minTimestep {@code min_timestep}, empty when unset (the reference's None)
 * @param maxTimestep {@code max_timestep}, empty when unset
 * @param numTimestepBuckets {@code num_timestep_buckets}, empty when unset (values ≤ 1 disable it too)
 * @param loss {@code loss_type} and its Huber settings
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
    OptionalInt numTimestepBuckets,
    LossConfig loss) {

  /** The options without loss settings: the reference's loss (l2). */
  public TimestepConfig(
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
    this(timestepSampling, sigmoidScale, discreteFlowShift, weightingScheme, logitMean, logitStd, modeScale,
        minTimestep, maxTimestep, preserveDistributionShape, numTimestepBuckets, LossConfig.defaults());
  }

  /** The reference trainer's defaults. */
  public static TimestepConfig defaults() {
    return new TimestepConfig(
        TimestepSampling.SIGMA, 1.0, 1.0, WeightingScheme.NONE, 0.0, 1.0, 1.29,
        OptionalInt.empty(), OptionalInt.empty(), false, OptionalInt.empty(), LossConfig.defaults());
  }

  static TimestepConfig read(OptionReader r) {
    TimestepSampling sampling = r.choice("timestep_sampling", TimestepSampling.values(),
        TimestepSampling::optionName, false);
    WeightingScheme weighting = r.choice("weighting_scheme", WeightingScheme.values(), WeightingScheme::optionName,
        false);
    int problemsBefore = r.problems().size();
    OptionalInt min = r.optionalIntBetween("min_timestep", 0, 999);
    OptionalInt max = r.optionalIntBetween("max_timestep", 1, 1000);
    boolean inRange = r.problems().size() == problemsBefore;
    r.require(!inRange || min.orElse(0) < max.orElse(1000), "min_timestep", "min_timestep (" + min.orElse(0)
        + ") must be below max_timestep (" + max.orElse(1000) + ")");
    boolean preserve = r.flag("preserve_distribution_shape");
    OptionalInt buckets = r.optionalIntBetween("num_timestep_buckets", 0, Integer.MAX_VALUE);
    boolean sigma = sampling == TimestepSampling.SIGMA;
    // The reference accepts these with sigma sampling and silently does nothing (reference/training.md §2.1, §2.4).
    r.require(!(sigma && preserve), "preserve_distribution_shape", "preserve_distribution_shape has no effect"
        + " with timestep_sampling sigma; choose another timestep_sampling or remove it");
    r.require(!(sigma && buckets.orElse(0) > 1), "num_timestep_buckets", "num_timestep_buckets has no effect"
        + " with timestep_sampling sigma; choose another timestep_sampling or remove it");
    boolean densityOnly = weighting == WeightingScheme.LOGIT_NORMAL || weighting == WeightingScheme.MODE;
    r.require(sigma || !densityOnly, "weighting_scheme", "weighting_scheme " + weighting.optionName()
        + " only shapes timestep_sampling sigma and has no effect with " + sampling.optionName()
        + "; use none, cosmap or sigma_sqrt");
    return new TimestepConfig(sampling, r.number("sigmoid_scale"), r.numberAbove("discrete_flow_shift", 0.0),
        weighting, r.number("logit_mean"), r.numberBetween("logit_std", 0.0, Double.POSITIVE_INFINITY, false),
        r.number("mode_scale"), min, max, preserve, buckets, LossConfig.read(r));
  }

  public TimestepConfig withSampling(TimestepSampling sampling) {
    return new TimestepConfig(sampling, sigmoidScale, discreteFlowShift, weightingScheme, logitMean, logitStd,
        modeScale, minTimestep, maxTimestep, preserveDistributionShape, numTimestepBuckets, loss);
  }

  public TimestepConfig withLoss(LossConfig loss) {
    return new TimestepConfig(timestepSampling, sigmoidScale, discreteFlowShift, weightingScheme, logitMean, logitStd,
        modeScale, minTimestep, maxTimestep, preserveDistributionShape, numTimestepBuckets, loss);
  }
}
