package org.tsumugi.engine.model;

import ai.djl.ndarray.NDArray;

/** A DiT's block stack as a block executor sees it: how many blocks, and how to run one on the token stream. */
public interface DitBlocks {

  int count();

  /** Runs block {@code index} on {@code x} [B, L, D] and returns its output [B, L, D]. */
  NDArray forward(int index, NDArray x);
}
