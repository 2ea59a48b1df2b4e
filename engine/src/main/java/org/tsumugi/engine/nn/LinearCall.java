package org.tsumugi.engine.nn;

import ai.djl.ndarray.NDArray;

/**
 * How a model applies its linear layers. The plain call is {@code x W^T + b}; an adapter (LoRA) adds its own
 * contribution for the layers it wraps. Model code calls every linear layer through this, so adapters never need
 * to know the model.
 */
@FunctionalInterface
public interface LinearCall {

  NDArray apply(LinearLayer layer, NDArray x);

  LinearCall PLAIN = Linear::forward;
}
