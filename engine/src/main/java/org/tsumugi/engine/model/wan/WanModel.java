package org.tsumugi.engine.model.wan;

import ai.djl.ndarray.NDArray;
import org.tsumugi.engine.model.BlockExecutor;
import org.tsumugi.engine.model.BlockResidency;
import org.tsumugi.engine.model.DitBlocks;
import org.tsumugi.engine.nn.LinearCall;

/** A Wan2.1 DiT: embed → blocks → head over typed weights. Stateless apart from its weights. */
public final class WanModel {

  private final WanWeights weights;

  public WanModel(WanWeights weights) {
    this.weights = weights;
  }

  public WanConfig config() {
    return weights.config();
  }

  public WanWeights weights() {
    return weights;
  }

  /** The velocity prediction [B, out_dim, F, H, W] with every block run plainly. */
  public NDArray forward(WanInputs in, LinearCall lin) {
    return forward(in, lin, BlockExecutor.PLAIN);
  }

  public NDArray forward(WanInputs in, LinearCall lin, BlockExecutor executor) {
    WanEmbedded embedded = WanEmbeddings.embed(weights, in, lin);
    NDArray x = executor.run(blocks(embedded, lin), embedded.tokens());
    return WanHead.forward(weights, x, embedded.e(), embedded.grid(), lin);
  }

  private DitBlocks blocks(WanEmbedded embedded, LinearCall lin) {
    int heads = weights.config().numHeads();
    return new DitBlocks() {
      @Override
      public int count() {
        return weights.blocks().size();
      }

      @Override
      public NDArray forward(int index, NDArray x) {
        return WanBlock.forward(weights.blocks().get(index), x, embedded.blocks(), weights.plainNorm(), heads, lin);
      }

      @Override
      public BlockResidency residency() {
        return weights.residency();
      }
    };
  }
}
