package org.tsumugi.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * Runs a DiT's blocks in order. The plain executor just calls them; others recompute blocks in the backward pass
 * (gradient checkpointing) or bring swapped weights in before each block, without the model knowing.
 */
@FunctionalInterface
public interface BlockExecutor {

  NDArray run(DitBlocks blocks, NDArray x);

  BlockExecutor PLAIN = (blocks, x) -> {
    for (int i = 0; i < blocks.count(); i++) {
      x = blocks.forward(i, x);
    }
    return x;
  };
}
