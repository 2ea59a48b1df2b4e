package org.tsumugi.engine.nn;

import ai.djl.ndarray.NDArray;

/** Element-wise activations that libtorch does not expose through DJL in the form the models need. */
public final class Activations {

  private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);

  private Activations() {}

  /** GELU, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
  public static NDArray geluTanh(NDArray x) {
    NDArray inner = ScalarFactor.mul(ScalarFactor.mul(x.mul(x).mul(x), 0.044715f).add(x), SQRT_2_OVER_PI);
    return ScalarFactor.mul(inner.tanh().add(1f).mul(x), 0.5f);
  }

  /** GELU with the exact erf form (libtorch's default). */
  public static NDArray gelu(NDArray x) {
    return ai.djl.nn.Activation.gelu(x);
  }

  /** SiLU: x * sigmoid(x). */
  public static NDArray silu(NDArray x) {
    return x.mul(x.getNDArrayInternal().sigmoid());
  }
}
