package org.tsumugi.engine.model;

import ai.djl.ndarray.NDArray;

/** A DiT's block stack as a block executor sees it: how many blocks, how to run one, where their weights live. */
public interface DitBlocks {

  int count();

  /** Runs block {@code index} on {@code x} [B, L, D] and returns its output [B, L, D]. */
  NDArray forward(int index, NDArray x);

  /** Which blocks stream their weights; by default all are resident. */
  default BlockResidency residency() {
    return BlockResidency.RESIDENT;
  }
}
