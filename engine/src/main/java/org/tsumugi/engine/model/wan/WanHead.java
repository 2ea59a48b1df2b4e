package org.tsumugi.engine.model.wan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.tsumugi.engine.nn.LinearCall;

/** The output stage (reference/wan-model.md §1.3 steps 9–10): modulated norm, head projection, unpatchify. */
public final class WanHead {

  private WanHead() {}

  /**
   * @param x token stream after the last block [B, L, D]
   * @param e time embedding [B, D]
   * @return the velocity prediction [B, out_dim, F, H, W]
   */
  public static NDArray forward(WanWeights w, NDArray x, NDArray e, WanEmbedded.Grid g, LinearCall lin) {
    NDList hm = e.expandDims(1).add(w.headModulation()).split(2, 1); // shift, scale: [B, 1, D] each
    NDArray normed = w.plainNorm().apply(x);
    NDArray out = lin.apply(w.head(), normed.mul(hm.get(1).add(1f)).add(hm.get(0))); // [B, L, 4·out_dim]
    return unpatchify(out, g, w.config().outDim());
  }

  /** [B, L, (pt·ph·pw·c)] → [B, c, F, H, W]; head channel k = ((pt·2 + ph)·2 + pw)·c_out + c. */
  static NDArray unpatchify(NDArray out, WanEmbedded.Grid g, int channels) {
    long b = out.getShape().get(0);
    NDArray split = out.reshape(b, g.f(), g.h(), g.w(), WanConfig.PATCH_T, WanConfig.PATCH_H, WanConfig.PATCH_W,
        channels); // [B, f, h, w, pt, ph, pw, c]
    return split.transpose(0, 7, 1, 4, 2, 5, 3, 6) // [B, c, f, pt, h, ph, w, pw]
        .reshape(b, channels, (long) g.f() * WanConfig.PATCH_T, (long) g.h() * WanConfig.PATCH_H,
            (long) g.w() * WanConfig.PATCH_W);
  }
}
