package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;

/** A trainable tensor with its state-dict name ({@code lora_unet_blocks_0_self_attn_q.lora_down.weight}). */
public record Parameter(String name, NDArray value) {

  public NDArray gradient() {
    return value.getGradient();
  }
}
