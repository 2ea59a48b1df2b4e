package org.tsumugi.engine.train;

import org.tsumugi.config.TimestepConfig;
import org.tsumugi.config.TimestepSampling;

/**
 * The noise level t ∈ [0, 1] of one sample in every continuous mode of reference/training.md §2.2, before the
 * min/max range mapping. Arithmetic follows the reference: float32 tensor operations with Python-double scalars
 * rounded to float32 where they meet the tensor; {@code ideogram4_shift} in float64.
 */
final class ContinuousTimesteps {
  private static final double[] FLUX_LINE = {256, 0.5, 4096, 1.15};
  private static final double[] QWEN_LINE = {256, 0.5, 8192, 0.9};
  private static final double[] KREA2_LINE = {256, 0.5, 6400, 1.15};
  private static final double LOGSNR2_MEAN = 5.36;
  private static final double LOGSNR2_STD = 1.0;

  private final TimestepConfig config;
  private final int latentH;
  private final int latentW;
  private final float sigmoidScale;

  ContinuousTimesteps(TimestepConfig config, int latentH, int latentW) {
    this.config = config;
    this.latentH = latentH;
    this.latentW = latentW;
    this.sigmoidScale = (float) config.sigmoidScale();
  }

  float t(BaseDraw draw) {
    TimestepSampling mode = config.timestepSampling();
    return switch (mode) {
      case UNIFORM -> draw.uniform();
      case SIGMOID -> sigmoid(sigmoidScale * draw.normal());
      case SHIFT -> shifted(draw.normal(), config.discreteFlowShift());
      case FLUX_SHIFT -> shifted(draw.normal(), shiftOf(FLUX_LINE, packedTokens()));
      case FLUX2_SHIFT -> shifted(draw.normal(), shiftOf(FLUX_LINE, (double) latentH * latentW));
      case QWEN_SHIFT -> shifted(draw.normal(), shiftOf(QWEN_LINE, packedTokens()));
      case KREA2_SHIFT -> shifted(draw.normal(), shiftOf(KREA2_LINE, packedTokens()));
      case IDEOGRAM4_SHIFT -> ideogram4(draw.uniform());
      case LOGSNR -> fromLogSnr(draw.normal(config.logitMean(), config.logitStd()));
      case QINGLONG_FLUX, QINGLONG_QWEN -> qinglong(draw, mode == TimestepSampling.QINGLONG_FLUX);
      case SIGMA -> throw new IllegalStateException("sigma mode has no continuous noise level");
    };
  }

  /** Qinglong's hybrid: flux 79% mid-shift / 11% logsnr / 10% logsnr2; qwen 95% mid-shift / 5% logsnr2. */
  private float qinglong(BaseDraw draw, boolean flux) {
    float d = draw.decision();
    if (d < (flux ? 0.79f : 0.95f)) {
      double shift = flux ? shiftOf(FLUX_LINE, packedTokens()) : shiftOf(QWEN_LINE, packedTokens());
      return shifted(draw.normal(), shift);
    }
    if (flux && d < 0.9f) {
      return fromLogSnr(draw.normal(config.logitMean(), config.logitStd()));
    }
    return fromLogSnr(draw.normal(LOGSNR2_MEAN, LOGSNR2_STD));
  }

  /** t' = σ(scale·z); t = s·t'/(1 + (s − 1)·t'). */
  private float shifted(float z, double shift) {
    float t = sigmoid(z * sigmoidScale);
    return (t * (float) shift) / (1f + (float) (shift - 1) * t);
  }

  /** t = σ(−λ/2). */
  private static float fromLogSnr(float logSnr) {
    return sigmoid(-logSnr / 2f);
  }

  /** Ideogram 4: t = σ(mean + 1.5·Φ⁻¹(u)), mean = ½·ln(pixels/512²), clamped; float64 throughout. */
  private float ideogram4(float uniform) {
    double u = Math.min(Math.max((double) uniform, 1e-7), 1.0 - 1e-7);
    double pixels = (double) latentH * 16 * latentW * 16;
    double mean = 0.5 * StrictMath.log(pixels / (512 * 512));
    double t = 1 / (1 + StrictMath.exp(-(mean + 1.5 * StandardNormal.quantile(u))));
    double low = 1.0 - 1.0 / (1 + StrictMath.exp(-7.5));
    double high = 1.0 - 1.0 / (1 + StrictMath.exp(9.0));
    return (float) Math.min(Math.max(t, low), high);
  }

  /** Tokens after the 2×2 packing of the FLUX family: (h//2)·(w//2). */
  private double packedTokens() {
    return (double) (latentH / 2) * (latentW / 2);
  }

  /** s = exp(μ), μ on the line through (x1, y1) and (x2, y2) (reference get_lin_function). */
  static double shiftOf(double[] line, double x) {
    double m = (line[3] - line[1]) / (line[2] - line[0]);
    double b = line[1] - m * line[0];
    return StrictMath.exp(m * x + b);
  }

  /** The logistic function in float32 (computed in double, rounded once). */
  static float sigmoid(float x) {
    return (float) (1 / (1 + StrictMath.exp(-(double) x)));
  }
}
