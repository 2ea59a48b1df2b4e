package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.List;

/**
 * {@code scale_weight_norms} max-norm regularisation of LoRA adapters (reference/training.md §4.5), applied in place
 * outside any GradientCollector. For each adapter ΔW = up·down·(alpha/rank) and, in float32,
 * n = max(‖ΔW‖_F, M/2), ratio = min(n, M)/n; when ratio ≠ 1 both up and down are multiplied by √ratio. The norms
 * reported are ‖ΔW‖_F·ratio (so adapters under M/2 report their own norm).
 */
public final class MaxNorm {

  private MaxNorm() {}

  /**
   * One adapter's trainable factors.
   *
   * @param name the adapter's name, for messages
   * @param down [rank, in]
   * @param up [out, rank]
   */
  public record Adapter(String name, NDArray down, NDArray up, float alpha, int rank) {}

  /** What the reference logs as max_norm/keys_scaled, max_norm/average_key_norm and max_norm/max_key_norm. */
  public record Result(int keysScaled, double meanNorm, double maxNorm) {}

  public static Result apply(List<Adapter> adapters, double maxNorm) {
    if (adapters.isEmpty()) {
      return new Result(0, 0.0, 0.0);
    }
    int scaled = 0;
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    try (NDScope scope = new NDScope()) {
      for (Adapter a : adapters) {
        float norm = deltaNorm(a);
        float clamped = Math.max(norm, (float) (maxNorm / 2));
        float ratio = Math.min(clamped, (float) maxNorm) / clamped;
        if (ratio != 1f) {
          float sqrtRatio = (float) Math.sqrt(ratio);
          a.up().muli(sqrtRatio);
          a.down().muli(sqrtRatio);
          scaled++;
        }
        double reported = norm * ratio;
        sum += reported;
        max = Math.max(max, reported);
      }
    }
    return new Result(scaled, sum / adapters.size(), max);
  }

  /** ‖up·down·(alpha/rank)‖_F in float32, as torch computes it. */
  private static float deltaNorm(Adapter a) {
    if (a.down().getShape().dimension() != 2 || a.up().getShape().dimension() != 2) {
      throw new IllegalArgumentException("scale_weight_norms handles linear LoRA only; adapter " + a.name()
          + " has down " + a.down().getShape() + " and up " + a.up().getShape());
    }
    return a.up().matMul(a.down()).muli(a.alpha() / a.rank()).norm().getFloat();
  }
}
