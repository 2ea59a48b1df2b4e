package org.tsumugi.engine.model.wan;

import ai.djl.ndarray.NDManager;
import org.tsumugi.engine.nn.LinearLayer;
import org.tsumugi.engine.nn.RmsNorm;
import org.tsumugi.engine.tensor.TensorStore;

/**
 * One attention's weights ({@code self_attn} or {@code cross_attn}). The image projections {@code k_img},
 * {@code v_img} and {@code norm_k_img} exist only in image-to-video cross-attention and are null otherwise.
 */
public record WanAttentionWeights(
    LinearLayer q,
    LinearLayer k,
    LinearLayer v,
    LinearLayer o,
    RmsNorm normQ,
    RmsNorm normK,
    LinearLayer kImg,
    LinearLayer vImg,
    RmsNorm normKImg) {

  public boolean hasImageKv() {
    return kImg != null;
  }

  static WanAttentionWeights load(TensorStore src, NDManager m, String prefix, boolean imageKv, float eps) {
    return new WanAttentionWeights(
        WanWeights.linear(src, m, prefix + "q"),
        WanWeights.linear(src, m, prefix + "k"),
        WanWeights.linear(src, m, prefix + "v"),
        WanWeights.linear(src, m, prefix + "o"),
        new RmsNorm(src.load(prefix + "norm_q.weight", m), eps),
        new RmsNorm(src.load(prefix + "norm_k.weight", m), eps),
        imageKv ? WanWeights.linear(src, m, prefix + "k_img") : null,
        imageKv ? WanWeights.linear(src, m, prefix + "v_img") : null,
        imageKv ? new RmsNorm(src.load(prefix + "norm_k_img.weight", m), eps) : null);
  }
}
