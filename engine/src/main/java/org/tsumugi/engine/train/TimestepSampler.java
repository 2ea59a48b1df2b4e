package org.tsumugi.engine.train;

import java.util.Optional;
import org.tsumugi.config.TimestepConfig;
import org.tsumugi.config.TimestepSampling;

/**
 * Draws the noise level and model timestep of each sample of a batch, for every {@code timestep_sampling} mode of
 * reference/training.md §2. Deterministic: the result is a function of the options, (step, sample index) through
 * {@link StepRandom}, the supplied bucket uniforms and the trainer pool position.
 *
 * <p>Arithmetic follows the reference's float32 tensors (so that, e.g., uniform u = 0.999 gives model timestep
 * exactly 1000.0: 0.999f·1000 rounds to 999.0f before the +1). Fresh draws come from our own generator, so
 * numbers match the reference in distribution, and exactly where u is supplied. Fresh draws of sample i at global
 * step s come from the stream (TIMESTEP, s, i, lane = rejection round, 0 otherwise); the trainer pool is
 * {@link TimestepBuckets#poolDraw} at a position the caller carries from batch to batch (durable state).
 * Not covered here: Wan2.2's high/low-noise model choice (§1.6).
 *
 * <p>Reference behaviours kept or changed (for reference.conf):
 * <ul>
 *   <li>{@code timestep_sampling} (continuous modes): KEPT model timestep = 1000·t + 1 while the noise level is t
 *       (§1.2 QUIRK); users' LoRAs were trained that way.</li>
 *   <li>{@code timestep_sampling sigma}: KEPT {@code discrete_flow_shift} is not applied. KEPT the noise level used
 *       for x_t is σ_k rounded to the DiT dtype ({@link SigmaDtype}; bf16 for usual Wan checkpoints), while the model
 *       sees the float32 table timestep.</li>
 *   <li>{@code min_timestep}/{@code max_timestep} in sigma mode: KEPT they bound the table INDEX, and index k is
 *       timestep 1000 − k, so {@code min 500 max 1000} gives timesteps 1..500 (low noise) in sigma mode but noise
 *       levels 0.5..1 in every other mode (§2.1 QUIRK).</li>
 *   <li>{@code min_timestep}/{@code max_timestep}: CHANGED values must satisfy 0 ≤ min &lt; max ≤ 1000 (the
 *       reference accepts anything and silently inverts or overruns the range).</li>
 *   <li>{@code weighting_scheme mode}/{@code logit_normal} in sigma mode: CHANGED a density value of exactly 1 (or
 *       below 0 for mode_scale above ~1.75) is clamped to table index 999/0; the reference crashes with an index
 *       error or wraps to the other end of the table.</li>
 *   <li>{@code preserve_distribution_shape}: KEPT rejection sampling of whole batches for up to 1000 rounds,
 *       accepting in order with t_min ≤ t ≤ t_max (inclusive, float32); the dataset's bucketed u are ignored on this
 *       path and the trainer pool is used instead when {@code num_timestep_buckets} &gt; 1. KEPT when 1000 rounds do
 *       not give a full batch, the last round's unfiltered t is used (§2.3 QUIRK; the reference's recomputation is
 *       dead code, and either way the batch is unfiltered). {@link Sample#rangeRejectionExhausted} lets the caller
 *       warn.</li>
 *   <li>{@code num_timestep_buckets} in sigma mode: KEPT ignored. A value ≤ 1 disables bucketing.</li>
 *   <li>{@code qinglong_*}: KEPT the branch decision is always fresh, never a bucketed u.</li>
 * </ul>
 */
public final class TimestepSampler {
  private static final int MAX_REJECTION_ROUNDS = 1000;

  private final TimestepConfig config;
  private final SigmaDtype ditDtype;
  private final DiscreteTimesteps discrete;
  private final float rangeLow;
  private final float rangeWidth;
  private final float rangeHigh;

  /**
   * The timesteps of one batch.
   *
   * @param sigmas per sample, the noise level that builds x_t = (1 − σ)·x0 + σ·ε (float32 values)
   * @param modelTimesteps per sample, the timestep the DiT receives (float32)
   * @param poolPosition the trainer pool position after this batch (durable state; unchanged if the pool is unused)
   * @param rangeRejectionExhausted true when rejection sampling found no full batch in 1000 rounds
   */
  public record Sample(float[] sigmas, float[] modelTimesteps, long poolPosition, boolean rangeRejectionExhausted) {}

  public TimestepSampler(TimestepConfig config, SigmaDtype ditDtype) {
    TimestepOptions.validate(config);
    this.config = config;
    this.ditDtype = ditDtype;
    this.discrete = new DiscreteTimesteps(config);
    double low = config.minTimestep().orElse(0) / 1000.0;
    double high = config.maxTimestep().orElse(1000) / 1000.0;
    this.rangeLow = (float) low;
    this.rangeHigh = (float) high;
    this.rangeWidth = (float) (high - low);
  }

  /**
   * Timesteps of one batch.
   *
   * @param batch number of samples B
   * @param step the global step (keys the fresh draws together with the sample index)
   * @param latentH latent height (read by the resolution-dependent shift modes)
   * @param latentW latent width
   * @param bucketedU the dataset's bucketed uniforms for this batch (length B), if {@code num_timestep_buckets} is on
   * @param poolPosition the trainer pool position before this batch (0 at the start of a run)
   */
  public Sample sample(
      int batch, long step, int latentH, int latentW, StepRandom random, Optional<double[]> bucketedU,
      long poolPosition) {
    if (bucketedU.isPresent() && bucketedU.get().length != batch) {
      throw new IllegalArgumentException(
          "bucketed timesteps: " + bucketedU.get().length + " values for a batch of " + batch);
    }
    if (config.timestepSampling() == TimestepSampling.SIGMA) {
      return sigmaMode(batch, step, random, poolPosition);
    }
    ContinuousTimesteps continuous = new ContinuousTimesteps(config, latentH, latentW);
    if (config.preserveDistributionShape()) {
      return rejectionSampled(continuous, batch, step, random, poolPosition);
    }
    float[] t = new float[batch];
    for (int i = 0; i < batch; i++) {
      RandomStream stream = random.stream(RandomPurpose.TIMESTEP, step, i);
      BaseDraw draw = bucketedU.isPresent()
          ? new BaseDraw.Supplied((float) bucketedU.get()[i], stream)
          : new BaseDraw.Fresh(stream);
      t[i] = squeeze(continuous.t(draw));
    }
    return continuousSample(t, poolPosition, false);
  }

  /**
   * The noise level for one supplied uniform u, range mapping included: the mode's inverse CDF (what the reference
   * computes for a bucketed u). Not defined for sigma and the qinglong mixtures, whose outcome is not a function of u.
   */
  public float noiseLevel(double u, int latentH, int latentW) {
    TimestepSampling mode = config.timestepSampling();
    if (mode == TimestepSampling.SIGMA || mode == TimestepSampling.QINGLONG_FLUX
        || mode == TimestepSampling.QINGLONG_QWEN) {
      throw new IllegalStateException("timestep_sampling " + mode.optionName() + " is not a function of one uniform");
    }
    BaseDraw draw = new BaseDraw.Supplied((float) u, RandomStream.fromKey(0));
    return squeeze(new ContinuousTimesteps(config, latentH, latentW).t(draw));
  }

  /** The model timestep 1000·t + 1 in float32. */
  public static float modelTimestep(float t) {
    return t * 1000f + 1f;
  }

  private Sample sigmaMode(int batch, long step, StepRandom random, long poolPosition) {
    float[] sigmas = new float[batch];
    float[] timesteps = new float[batch];
    for (int i = 0; i < batch; i++) {
      int k = discrete.index(discrete.density(random.stream(RandomPurpose.TIMESTEP, step, i)));
      timesteps[i] = SigmaGrid.timestep(k);
      sigmas[i] = ditDtype.round(SigmaGrid.sigma(k));
    }
    return new Sample(sigmas, timesteps, poolPosition, false);
  }

  private Sample rejectionSampled(
      ContinuousTimesteps continuous, int batch, long step, StepRandom random, long poolPosition) {
    boolean pooled = TimestepBuckets.enabled(config.numTimestepBuckets());
    long position = poolPosition;
    float[] accepted = new float[batch];
    int count = 0;
    float[] round = new float[batch];
    for (int r = 0; r < MAX_REJECTION_ROUNDS && count < batch; r++) {
      for (int i = 0; i < batch; i++) {
        RandomStream stream = random.stream(RandomPurpose.TIMESTEP, step, i, r);
        BaseDraw draw = pooled
            ? new BaseDraw.Supplied(
                (float) TimestepBuckets.poolDraw(random, config.numTimestepBuckets().getAsInt(), position++), stream)
            : new BaseDraw.Fresh(stream);
        round[i] = continuous.t(draw);
      }
      for (int i = 0; i < batch && count < batch; i++) {
        if (rangeLow <= round[i] && round[i] <= rangeHigh) {
          accepted[count++] = round[i];
        }
      }
    }
    boolean exhausted = count < batch;
    return continuousSample(exhausted ? round : accepted, position, exhausted);
  }

  private static Sample continuousSample(float[] t, long poolPosition, boolean exhausted) {
    float[] timesteps = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      timesteps[i] = modelTimestep(t[i]);
    }
    return new Sample(t, timesteps, poolPosition, exhausted);
  }

  /** The affine range map t·(t_max − t_min) + t_min (identity for the default range). */
  private float squeeze(float t) {
    return t * rangeWidth + rangeLow;
  }
}
