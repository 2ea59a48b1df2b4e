package org.tsumugi.engine.model.wan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.tsumugi.engine.nn.Activations;
import org.tsumugi.engine.nn.Attention;
import org.tsumugi.engine.nn.LayerNormWeights;
import org.tsumugi.engine.nn.LinearCall;

/**
 * One {@code WanAttentionBlock} (reference/wan-model.md §1.5), in float32.
 *
 * <p>Dimensions: B batch, L tokens, S context rows, D width, N heads, d = D/N.
 */
public final class WanBlock {

  private WanBlock() {}

  /**
   * @param x token stream [B, L, D]
   * @param plainNorm the parameter-free LayerNorm used for norm1 and norm2
   * @return the block's output [B, L, D]
   */
  public static NDArray forward(
      WanBlockWeights w, NDArray x, WanBlockContext ctx, LayerNormWeights plainNorm, int heads, LinearCall lin) {
    NDList m = ctx.e0().add(w.modulation()).split(6, 1); // m0..m5, each [B, 1, D]

    NDArray h = modulate(plainNorm.apply(x), m.get(0), m.get(1));
    x = x.add(selfAttention(w.selfAttn(), h, ctx.rope(), heads, lin).mul(m.get(2)));

    x = x.add(crossAttention(w.crossAttn(), w.norm3().apply(x), ctx, heads, lin));

    h = modulate(plainNorm.apply(x), m.get(3), m.get(4));
    NDArray ffn = lin.apply(w.ffn2(), Activations.geluTanh(lin.apply(w.ffn0(), h)));
    return x.add(ffn.mul(m.get(5)));
  }

  /** LN(x) · (1 + scale) + shift. */
  static NDArray modulate(NDArray normed, NDArray shift, NDArray scale) {
    return normed.mul(scale.add(1f)).add(shift);
  }

  private static NDArray selfAttention(
      WanAttentionWeights a, NDArray h, WanRope.Tables rope, int heads, LinearCall lin) {
    NDArray q = rope.rotate(splitHeads(a.normQ().apply(lin.apply(a.q(), h)), heads)); // [B, L, N, d]
    NDArray k = rope.rotate(splitHeads(a.normK().apply(lin.apply(a.k(), h)), heads));
    NDArray v = splitHeads(lin.apply(a.v(), h), heads);
    return lin.apply(a.o(), Attention.attend(q, k, v));
  }

  /** Text cross-attention, plus the CLIP-image one for image-to-video; both share q and the output projection. */
  private static NDArray crossAttention(
      WanAttentionWeights a, NDArray hc, WanBlockContext ctx, int heads, LinearCall lin) {
    NDArray q = splitHeads(a.normQ().apply(lin.apply(a.q(), hc)), heads);
    NDArray k = splitHeads(a.normK().apply(lin.apply(a.k(), ctx.text())), heads); // [B, S, N, d]
    NDArray v = splitHeads(lin.apply(a.v(), ctx.text()), heads);
    NDArray out = Attention.attend(q, k, v); // [B, L, D]
    if (a.hasImageKv()) {
      NDArray kImg = splitHeads(a.normKImg().apply(lin.apply(a.kImg(), ctx.image())), heads);
      NDArray vImg = splitHeads(lin.apply(a.vImg(), ctx.image()), heads);
      out = out.add(Attention.attend(q, kImg, vImg));
    }
    return lin.apply(a.o(), out);
  }

  /** [B, L, D] → [B, L, N, d]. */
  private static NDArray splitHeads(NDArray x, int heads) {
    long b = x.getShape().get(0);
    long l = x.getShape().get(1);
    return x.reshape(b, l, heads, x.getShape().get(2) / heads);
  }
}
