package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;

/**
 * Gradient housekeeping. libtorch accumulates gradients across backward calls, so trainable gradients are zeroed
 * explicitly after each optimizer step (ARCHITECTURE.md, engine conventions).
 */
public final class Gradients {

  private Gradients() {}

  /** Sets every parameter's gradient to zero in place (NaN-safe, unlike multiplying by 0). */
  public static void zero(List<Parameter> parameters) {
    for (Parameter p : parameters) {
      JniUtils.zeroGrad((PtNDArray) p.value());
    }
  }

  /** The L2 norm over all gradients taken together, computed in double from per-tensor sums of squares. */
  public static double totalNorm(List<Parameter> parameters) {
    double sum = 0;
    try (NDScope scope = new NDScope()) {
      for (Parameter p : parameters) {
        sum += p.gradient().square().sum().getFloat();
      }
    }
    return Math.sqrt(sum);
  }

  /**
   * torch's clip_grad_norm_: scales every gradient by min(1, maxNorm / (norm + 1e-6)). Returns the norm before
   * clipping. A maxNorm of 0 disables clipping.
   */
  public static double clipByTotalNorm(List<Parameter> parameters, double maxNorm) {
    double norm = totalNorm(parameters);
    if (maxNorm > 0) {
      double coef = maxNorm / (norm + 1e-6);
      if (coef < 1.0) {
        try (NDScope scope = new NDScope()) {
          for (Parameter p : parameters) {
            p.gradient().muli((float) coef);
          }
        }
      }
    }
    return norm;
  }
}
