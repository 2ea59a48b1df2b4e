package org.tsumugi.engine.model;

import org.tsumugi.engine.tensor.TensorStore;

/**
 * How a model's block weights are placed when it loads: which store each block's tensors come from (the checkpoint
 * for resident blocks, views of shared slots for streamed ones) and the residency the block executor then manages.
 */
public interface BlockPlacement {

  /** Every block loads from the source and stays resident. */
  BlockPlacement RESIDENT = new BlockPlacement() {
    @Override
    public BlockResidency residency() {
      return BlockResidency.RESIDENT;
    }

    @Override
    public TensorStore blockStore(int block, TensorStore source) {
      return source;
    }
  };

  BlockResidency residency();

  /** The store block {@code block}'s tensors load from, given the model's source store. */
  TensorStore blockStore(int block, TensorStore source);
}
