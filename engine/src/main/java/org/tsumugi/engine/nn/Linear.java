package org.tsumugi.engine.nn;

import ai.djl.ndarray.NDArray;

/** y = x W^T + b over the last axis, through libtorch's fused linear. */
public final class Linear {

  private Linear() {}

  public static NDArray forward(LinearLayer layer, NDArray x) {
    return ai.djl.nn.core.Linear.linear(x, layer.weight(), layer.bias()).singletonOrThrow();
  }

  /** A bias-free projection with a bare weight matrix [out, in]. */
  public static NDArray project(NDArray x, NDArray weight) {
    return ai.djl.nn.core.Linear.linear(x, weight, null).singletonOrThrow();
  }
}
