package org.tsumugi.engine.model;

import java.util.List;

/**
 * Where a DiT's block weights live during a pass. A resident block keeps its float32 weights for the whole run; a
 * streamed block (swapped out, or held as fp8) has its linear weights brought into one of a few shared slots just
 * before it runs. A slot holds one block at a time, so a block executor must bring a streamed block in before each
 * use — forward, recompute and backward — and a plain autograd graph cannot span streamed blocks.
 */
public interface BlockResidency {

  /** Nothing is streamed: every block's weights are resident. */
  BlockResidency RESIDENT = new BlockResidency() {
    @Override
    public List<Integer> streamedBlocks() {
      return List.of();
    }

    @Override
    public int slotCount() {
      return 0;
    }

    @Override
    public boolean holds(int block) {
      return true;
    }

    @Override
    public void bringIn(int block) {
      // resident blocks are always in place
    }
  };

  /** The streamed blocks in block order; empty when every block is resident. */
  List<Integer> streamedBlocks();

  /** How many slots the streamed blocks share; streamed block of rank r uses slot r mod slotCount. */
  int slotCount();

  /** Whether {@code block}'s own weights are in place now (always true for a resident block). */
  boolean holds(int block);

  /**
   * Brings {@code block}'s weights into its slot from the offload tier, unless the slot already holds them. Blocks
   * the calling thread for the copy; safe to call from a fetcher's thread while another slot is computing.
   */
  void bringIn(int block);

  default boolean streams(int block) {
    return streamedBlocks().contains(block);
  }

  default boolean streamsAny() {
    return !streamedBlocks().isEmpty();
  }
}
