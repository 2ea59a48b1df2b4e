package org.tsumugi.engine.model.wan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.tsumugi.engine.nn.LayerNormWeights;
import org.tsumugi.engine.nn.LinearLayer;
import org.tsumugi.engine.tensor.TensorStore;

/**
 * The weights of {@code blocks.i}: field names follow the checkpoint. Grouped per block so that a block executor
 * can materialise, recompute or release one block at a time.
 *
 * @param modulation [1, 6, D]: shift/scale/gate for self-attention (m0..m2) and the FFN (m3..m5)
 */
public record WanBlockWeights(
    int index,
    NDArray modulation,
    WanAttentionWeights selfAttn,
    LayerNormWeights norm3,
    WanAttentionWeights crossAttn,
    LinearLayer ffn0,
    LinearLayer ffn2) {

  /** Loads {@code blocks.<index>.*} from {@code src} into {@code manager}. */
  public static WanBlockWeights load(TensorStore src, NDManager manager, WanConfig config, int index) {
    String b = WanLayout.blockPrefix(index);
    return new WanBlockWeights(
        index,
        src.load(b + "modulation", manager),
        WanAttentionWeights.load(src, manager, b + "self_attn.", false, config.eps()),
        new LayerNormWeights(src.load(b + "norm3.weight", manager), src.load(b + "norm3.bias", manager), config.eps()),
        WanAttentionWeights.load(src, manager, b + "cross_attn.", config.imageToVideo(), config.eps()),
        WanWeights.linear(src, manager, b + "ffn.0"),
        WanWeights.linear(src, manager, b + "ffn.2"));
  }
}
