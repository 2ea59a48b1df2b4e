/**
 * Scaled fp8 weights (reference/wan-model.md §5) and where block weights are held. {@link
 * org.tsumugi.engine.quant.ScaledFp8} is the reference's quantisation rule (block-wise scales over 64 inputs, the
 * exclusion list in {@link org.tsumugi.engine.quant.Fp8Targets}, scale arithmetic in the source dtype via {@link
 * org.tsumugi.engine.quant.SourcePrecision}); {@link org.tsumugi.engine.quant.Fp8Tensor} holds codes plus scales;
 * {@link org.tsumugi.engine.quant.ScaledFp8Checkpoint} reads checkpoints already stored that way; {@link
 * org.tsumugi.engine.quant.MemoryPlan} places a DiT's blocks for fp8_scaled and blocks_to_swap over a {@link
 * org.tsumugi.engine.quant.WeightSource}.
 */
package org.tsumugi.engine.quant;
