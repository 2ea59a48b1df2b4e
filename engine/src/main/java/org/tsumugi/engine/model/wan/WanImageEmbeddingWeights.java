package org.tsumugi.engine.model.wan;

import ai.djl.ndarray.NDManager;
import org.tsumugi.engine.nn.LayerNormWeights;
import org.tsumugi.engine.nn.LinearLayer;
import org.tsumugi.engine.tensor.TensorStore;

/** {@code img_emb.proj}: LayerNorm(1280) → Linear → GELU(erf) → Linear(1280→D) → LayerNorm(D), eps 1e-5. */
public record WanImageEmbeddingWeights(
    LayerNormWeights norm0, LinearLayer proj1, LinearLayer proj3, LayerNormWeights norm4) {

  private static final float EPS = 1e-5f;

  static WanImageEmbeddingWeights load(TensorStore src, NDManager m) {
    return new WanImageEmbeddingWeights(
        new LayerNormWeights(src.load("img_emb.proj.0.weight", m), src.load("img_emb.proj.0.bias", m), EPS),
        WanWeights.linear(src, m, "img_emb.proj.1"),
        WanWeights.linear(src, m, "img_emb.proj.3"),
        new LayerNormWeights(src.load("img_emb.proj.4.weight", m), src.load("img_emb.proj.4.bias", m), EPS));
  }
}
