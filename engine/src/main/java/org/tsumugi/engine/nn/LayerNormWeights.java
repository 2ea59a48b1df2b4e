package org.tsumugi.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * LayerNorm over the last axis. A parameter-free norm (Wan's norm1, norm2, head.norm) holds a constant gamma of ones
 * and beta of zeros so that every norm runs through libtorch's fused kernel.
 */
public record LayerNormWeights(NDArray gamma, NDArray beta, float eps) {

  public static LayerNormWeights withoutAffine(NDManager manager, long dim, float eps) {
    return new LayerNormWeights(manager.ones(new Shape(dim)), manager.zeros(new Shape(dim)), eps);
  }

  public NDArray apply(NDArray x) {
    return ai.djl.nn.norm.LayerNorm.layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, eps).singletonOrThrow();
  }
}
