package org.tsumugi.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.atomic.LongAdder;

/**
 * The block executor for training with any memory option. It splits the backward pass at block boundaries: the
 * forward keeps, per block, either its input only (gradient checkpointing: the block is recomputed in the backward)
 * or its input and graph; {@link BlockPass#backward()} then walks the blocks from last to first, bringing streamed
 * weights back in before each, and back-propagates the block output's gradient through it. Streamed blocks are
 * fetched ahead by the {@link BlockFetcher} while the current block computes.
 *
 * <p>The block context (time projection, text and image rows, RoPE) is treated as constant: no gradient flows into
 * it, which holds for LoRA on the blocks' linears since nothing before the blocks is trainable.
 */
public final class TrainingExecutor implements BlockExecutor {

  private final boolean gradientCheckpointing;
  private final BlockFetcher fetcher;
  private final LongAdder waitedNanos = new LongAdder();
  private final LongAdder forwardNanos = new LongAdder();
  private final LongAdder forwardBlocks = new LongAdder();

  /**
   * @param gradientCheckpointing recompute each block in the backward instead of keeping its activations
   * @param fetcher brings streamed blocks in ahead of use
   */
  public TrainingExecutor(boolean gradientCheckpointing, BlockFetcher fetcher) {
    this.gradientCheckpointing = gradientCheckpointing;
    this.fetcher = fetcher;
  }

  public boolean gradientCheckpointing() {
    return gradientCheckpointing;
  }

  @Override
  public BlockPass begin() {
    return new TrainingPass(gradientCheckpointing, fetcher, waitedNanos, forwardNanos, forwardBlocks);
  }

  /**
   * Seconds the compute thread has spent, over every pass so far, waiting for streamed weights: the part of block
   * swap's cost the prefetch did not hide.
   */
  public double weightWaitSeconds() {
    return waitedNanos.sum() / 1e9;
  }

  /**
   * Wall seconds the blocks' forward computations have taken, over every pass so far (weights already in place; the
   * wait for them is not included). A block's forward is the shortest window a prefetch has to hide a read in: the
   * fetch of the block due in a slot starts when the slot's previous block has computed, and must end before the
   * block after it has.
   */
  public double forwardBlockSeconds() {
    return forwardNanos.sum() / 1e9;
  }

  /** How many block forwards {@link #forwardBlockSeconds()} covers. */
  public long forwardBlocks() {
    return forwardBlocks.sum();
  }

  /**
   * A forward without a following backward (sampling, evaluation): streamed blocks still come in ahead of use.
   * While gradients are being recorded, a training step must open a pass with {@link #begin()} instead.
   */
  @Override
  public NDArray run(DitBlocks blocks, NDArray x) {
    if (JniUtils.isGradMode()) {
      throw new IllegalStateException("TrainingExecutor.run is a forward without backward, but gradients are being "
          + "recorded: open a pass with begin() and call its backward() after the loss's");
    }
    try (BlockPass pass = begin()) {
      return pass.run(blocks, x);
    }
  }
}
