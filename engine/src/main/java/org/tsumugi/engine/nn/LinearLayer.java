package org.tsumugi.engine.nn;

import ai.djl.ndarray.NDArray;

/**
 * The weights of one linear layer together with its module name as in the published checkpoint
 * ({@code blocks.0.self_attn.q}); the name is how adapters such as LoRA find the layer.
 *
 * @param weight [out, in]
 * @param bias [out], or null for a layer without bias
 */
public record LinearLayer(String module, NDArray weight, NDArray bias) {

  public long inFeatures() {
    return weight.getShape().get(1);
  }

  public long outFeatures() {
    return weight.getShape().get(0);
  }
}
