package org.tsumugi.engine.model.wan;

import ai.djl.ndarray.NDArray;

/**
 * The result of the embedding stage: the token stream entering block 0 and what the blocks and head need.
 *
 * @param tokens [B, L, D] with L = f·h·w
 * @param e time embedding [B, D] (the head's modulation input)
 * @param grid the token grid (f, h, w) = (F, H/2, W/2)
 */
public record WanEmbedded(NDArray tokens, NDArray e, WanBlockContext blocks, Grid grid) {

  /** Token grid of one latent: f frames × h rows × w columns of 1×2×2 patches. */
  public record Grid(int f, int h, int w) {

    public int tokens() {
      return f * h * w;
    }
  }
}
