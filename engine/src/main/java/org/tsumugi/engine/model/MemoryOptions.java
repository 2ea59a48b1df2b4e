package org.tsumugi.engine.model;

import org.tsumugi.config.ModelConfig;

/**
 * How a DiT's weights are held and its blocks run (reference/training.md §8): fp8 block linears with block-wise
 * scales, the last {@code blocksToSwap} blocks streamed from the offload tier, blocks recomputed in the backward.
 */
public record MemoryOptions(boolean fp8Scaled, int blocksToSwap, boolean gradientCheckpointing) {

  public static final MemoryOptions NONE = new MemoryOptions(false, 0, false);

  public MemoryOptions {
    if (blocksToSwap < 0) {
      throw new IllegalArgumentException("blocks_to_swap must not be negative, got " + blocksToSwap);
    }
  }

  /**
   * The run's options. Plain {@code fp8_base} (the reference casts every DiT weight to fp8 without scales) is not
   * supported: it is refused with a pointer to {@code fp8_scaled}.
   */
  public static MemoryOptions of(ModelConfig model) {
    if (model.fp8Base() && !model.fp8Scaled()) {
      throw new IllegalArgumentException("fp8_base without fp8_scaled is not supported: Tsumugi keeps fp8 weights "
          + "with their block-wise scales only; set fp8_scaled = true as well, or fp8_base = false");
    }
    return new MemoryOptions(model.fp8Scaled(), model.blocksToSwap(), model.gradientCheckpointing());
  }

  /** The block executor these options need, fetching streamed blocks through {@code fetcher}. */
  public BlockExecutor executor(BlockFetcher fetcher) {
    return new TrainingExecutor(gradientCheckpointing, fetcher);
  }
}
