package org.tsumugi.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Runs a DiT's blocks in order. The plain executor just calls them; a {@link TrainingExecutor} also recomputes
 * blocks in the backward pass (gradient checkpointing) and brings streamed weights in ahead of each block, without
 * the model knowing.
 */
@FunctionalInterface
public interface BlockExecutor {

  NDArray run(DitBlocks blocks, NDArray x);

  /**
   * Opens one training pass: the model's forward runs the blocks through it, then {@link BlockPass#backward()}
   * finishes the part of the backward pass the executor deferred. The default defers nothing: one autograd graph
   * spans every block and the loss's own backward reaches them all.
   */
  default BlockPass begin() {
    BlockExecutor self = this;
    return new BlockPass() {
      @Override
      public NDArray run(DitBlocks blocks, NDArray x) {
        return self.run(blocks, x);
      }

      @Override
      public void backward() {
        // the graph already reached every block
      }

      @Override
      public void close() {
        // nothing held
      }
    };
  }

  /**
   * Every block in order, streamed ones brought in just before they run. A graph recorded through streamed blocks
   * would read their slots after other blocks overwrote them, so this executor refuses to record one.
   */
  BlockExecutor PLAIN = (blocks, x) -> {
    BlockResidency residency = blocks.residency();
    if (residency.streamsAny() && JniUtils.isGradMode()) {
      throw new IllegalStateException("blocks " + residency.streamedBlocks() + " stream their weights through "
          + "shared slots (blocks_to_swap or fp8_scaled): back-propagating through them needs a TrainingExecutor, "
          + "not the plain block executor");
    }
    for (int i = 0; i < blocks.count(); i++) {
      residency.bringIn(i);
      x = blocks.forward(i, x);
    }
    return x;
  };
}
