package org.tsumugi.engine.nn;

import ai.djl.ndarray.NDArray;

/** RMSNorm over the last axis: x / sqrt(mean(x^2) + eps) * weight. */
public record RmsNorm(NDArray weight, float eps) {

  public NDArray apply(NDArray x) {
    NDArray rms = x.square().mean(new int[] {-1}, true).add(eps).sqrt();
    return x.div(rms).mul(weight);
  }
}
