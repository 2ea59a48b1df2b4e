package org.tsumugi.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.tsumugi.config.HuberSchedule;
import org.tsumugi.config.LossConfig;
import org.tsumugi.config.LossType;
import org.tsumugi.engine.nn.ScalarFactor;

/**
 * The training loss: mean over every element of w·ℓ(pred − target), with w the per-sample weight (reference/training.md
 * §1.3 for l2, the reference's only loss) and ℓ of {@code loss_type}, d = pred − target:
 *
 * <pre>
 * l2: d²     l1: |d|     huber: 2c(√(d² + c²) − c)     smooth_l1: 2(√(d² + c²) − c)
 * </pre>
 *
 * <p>The Huber threshold c per sample follows sd-scripts' {@code get_huber_threshold_if_needed} with its flow-matching
 * timestep T = 1000·σ (σ the noise level of x_t = (1 − σ)·x0 + σ·ε, as its FLUX/SD3 trainers pass it), so that
 * {@code constant}: c = huber_c·huber_scale; {@code exponential}: c = exp(ln(huber_c)·σ)·huber_scale (huber_c at pure
 * noise, huber_scale at σ = 0). CHANGED sd-scripts' {@code snr} reads DDPM's ᾱ and fails for flow matching; here it
 * uses the rectified-flow noise-to-signal ratio σ/(1 − σ) in place of √((1 − ᾱ)/ᾱ):
 * c = (1 − huber_c)/(1 + σ/(1 − σ))² + huber_c = (1 − huber_c)(1 − σ)² + huber_c (no huber_scale, as in sd-scripts).
 *
 * <p>The loss is built from differentiable NDArray operations, for use inside a GradientCollector. c is computed in
 * double and rounded to float32 (the reference computes it in float32 tensors; agreement to about one ulp).
 */
public record LossFunction(LossType type, HuberSchedule schedule, double huberC, double huberScale) {

  /** The reference's loss: plain l2 (sd-scripts' defaults for the Huber settings). */
  public static LossFunction l2() {
    return of(LossConfig.defaults());
  }

  /** The loss of {@code loss_type}, {@code huber_schedule}, {@code huber_c} and {@code huber_scale}. */
  public static LossFunction of(LossConfig config) {
    return new LossFunction(config.lossType(), config.huberSchedule(), config.huberC(), config.huberScale());
  }

  public LossFunction {
    if (type.usesHuberC() && !(huberC > 0 && huberC <= 1)) {
      throw new TrainingOptionException("huber_c", "must be in (0, 1] for loss_type " + type.optionName()
          + ", got " + huberC);
    }
  }

  /**
   * The scalar loss.
   *
   * @param pred [B, ...] model output
   * @param target [B, ...]
   * @param weights per-sample weights (length B), or null for 1
   * @param sigmas per-sample noise levels σ ∈ [0, 1] (length B); read by huber and smooth_l1 only
   */
  public NDArray loss(NDArray pred, NDArray target, float[] weights, float[] sigmas) {
    NDArray diff = pred.sub(target);
    NDArray elementwise = switch (type) {
      case L2 -> diff.square();
      case L1 -> diff.abs();
      case HUBER, SMOOTH_L1 -> huber(diff, perSample(pred, thresholds(sigmas)));
    };
    if (weights != null) {
      elementwise = elementwise.mul(perSample(pred, weights));
    }
    return elementwise.mean();
  }

  private NDArray huber(NDArray diff, NDArray c) {
    NDArray root = diff.square().add(c.square()).sqrt().sub(c);
    return type == LossType.HUBER ? c.mul(2f).mul(root) : ScalarFactor.mul(root, 2f);
  }

  /** The Huber threshold c of each sample. */
  public float[] thresholds(float[] sigmas) {
    float[] c = new float[sigmas.length];
    for (int i = 0; i < c.length; i++) {
      double s = sigmas[i];
      c[i] = (float) switch (schedule) {
        case CONSTANT -> huberC * huberScale;
        case EXPONENTIAL -> Math.exp(Math.log(huberC) * s) * huberScale;
        case SNR -> (1 - huberC) * (1 - s) * (1 - s) + huberC;
      };
    }
    return c;
  }

  /** Per-sample values as [B, 1, ..., 1] broadcasting against {@code like}. */
  private static NDArray perSample(NDArray like, float[] values) {
    long[] shape = new long[like.getShape().dimension()];
    Arrays.fill(shape, 1);
    shape[0] = values.length;
    return like.getManager().create(values, new Shape(shape));
  }
}
