package org.tsumugi.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Rectified-flow training arithmetic (reference/training.md §1.2–1.3): the noisy input, the velocity target and the
 * weighted mean-squared loss. Latents are [B, C, F, H, W]; σ is the per-sample noise level in [0, 1].
 */
public final class FlowMatching {

  private FlowMatching() {}

  /** x_t = (1 − σ)·x0 + σ·ε. */
  public static NDArray noisy(NDArray x0, NDArray noise, float[] sigma) {
    NDArray s = perSample(x0, sigma);
    NDArray oneMinus = perSample(x0, oneMinus(sigma));
    return x0.mul(oneMinus).add(noise.mul(s));
  }

  /** The velocity the model learns: v = ε − x0. */
  public static NDArray target(NDArray x0, NDArray noise) {
    return noise.sub(x0);
  }

  /**
   * mean(w · (pred − target)²) over every element; {@code weights} (one per sample) may be null for w = 1.
   *
   * @return a scalar
   */
  public static NDArray loss(NDArray pred, NDArray target, float[] weights) {
    NDArray squared = pred.sub(target).square();
    if (weights != null) {
      squared = squared.mul(perSample(pred, weights));
    }
    return squared.mean();
  }

  private static float[] oneMinus(float[] sigma) {
    float[] out = new float[sigma.length];
    for (int i = 0; i < sigma.length; i++) {
      out[i] = 1f - sigma[i];
    }
    return out;
  }

  /** Per-sample values as [B, 1, ..., 1] broadcasting against {@code like}. */
  private static NDArray perSample(NDArray like, float[] values) {
    long[] shape = new long[like.getShape().dimension()];
    java.util.Arrays.fill(shape, 1);
    shape[0] = values.length;
    return like.getManager().create(values, new Shape(shape));
  }
}
