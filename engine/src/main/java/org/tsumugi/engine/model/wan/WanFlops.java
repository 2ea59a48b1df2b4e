package org.tsumugi.engine.model.wan;

/**
 * Floating-point operations of a LoRA training step, counted from the matrix products the step must do (2·m·n·k
 * each): the forward pass, then the backward products autograd needs — input gradients of every linear and attention
 * on the path from a trainable adapter back to block 0, and the adapters' weight gradients. The frozen base weights
 * get no weight gradients, the text embedding gets no backward pass, and block 0's self-attention q, k, v need no
 * input gradient (their input depends on nothing trainable).
 * Element-wise work (norms, activations, softmax) is not counted.
 */
public final class WanFlops {

  private WanFlops() {}

  /**
   * @param tokens L = f·h·w per sample
   * @param contextRows rows of text context per sample (text_len)
   * @param rank LoRA rank on every block linear (0 for none)
   */
  public static double trainingStep(WanConfig c, int batch, long tokens, long contextRows, int rank) {
    double d = c.dim();
    double ff = c.ffnDim();
    double l = tokens;
    double s = contextRows;
    // Forward, per block.
    double tokenLinears = 2 * l * (6 * d * d + 2 * d * ff); // self q,k,v,o; cross q,o; ffn.0, ffn.2
    double contextLinears = 2 * s * 2 * d * d; // cross k, v over the text rows
    double attention = 2 * 2 * l * l * d + 2 * 2 * l * s * d; // (q·kᵀ, ·v) for self and cross
    double loraFwd = rank == 0 ? 0 : 2 * rank * (l * (6 * (d + d) + 2 * (d + ff)) + s * 2 * (d + d));
    double blockFwd = tokenLinears + contextLinears + attention + loraFwd;
    double embed = 2 * s * (c.textDim() * d + d * d) + 2 * l * c.patchVectorSize() * d + 2 * l * d * c.headOutSize();
    // Backward, per block: input gradients of the token path (as heavy as its forward, without the context
    // projections), attention input gradients (twice its forward), adapters' input and weight gradients.
    double blockBwd = tokenLinears + 2 * attention + 2 * loraFwd;
    double headBwd = 2 * l * d * c.headOutSize();
    double firstBlockSaving = 2 * l * 3 * d * d;
    double perSample = c.numLayers() * (blockFwd + blockBwd) + embed + headBwd - firstBlockSaving;
    return batch * perSample;
  }
}
