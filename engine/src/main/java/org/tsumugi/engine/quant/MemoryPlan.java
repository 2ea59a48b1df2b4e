package org.tsumugi.engine.quant;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.tsumugi.engine.model.BlockLayout;
import org.tsumugi.engine.model.BlockPlacement;
import org.tsumugi.engine.model.MemoryOptions;
import org.tsumugi.engine.model.StreamedBlocks;
import org.tsumugi.engine.model.WeightTier;

/**
 * Places a DiT's block weights for the memory options (reference/training.md §8):
 * <ul>
 *   <li>no option: every block resident in float32;
 *   <li>{@code blocks_to_swap N}: the last N blocks' linear weights stream from the source on disk, the rest are
 *       resident;
 *   <li>{@code fp8_scaled}: every block's quantised weights are held as fp8 codes plus scales and dequantised into a
 *       slot when the block is brought in; with swap, the last N blocks' fp8 weights stay on disk instead (a float
 *       checkpoint's quantised once into a scratch file the source deletes when it closes).
 * </ul>
 * Everything outside the streamed weights (biases, norms, modulation, embeddings, head) stays resident in float32.
 */
public final class MemoryPlan {

  private MemoryPlan() {}

  /**
   * @param prefix the key prefix of block i
   * @param manager owns the slot views (the model's weight manager)
   */
  public static BlockPlacement place(WeightSource source, int blocks, IntFunction<String> prefix,
      MemoryOptions options, NDManager manager) {
    StreamedBlocks.checkSwap(options.blocksToSwap(), blocks);
    if (!options.fp8Scaled()) {
      BlockLayout layout = BlockLayout.of(source.shapes(), blocks, prefix, BlockLayout.LINEAR_WEIGHTS);
      return StreamedBlocks.swapped(layout, options.blocksToSwap(), source.floatTier(), manager);
    }
    BlockLayout layout = BlockLayout.of(source.shapes(), blocks, prefix, (key, shape) -> Fp8Targets.selects(key));
    int firstSwapped = blocks - options.blocksToSwap();
    Fp8MemoryTier resident = new Fp8MemoryTier();
    List<String> swappedKeys = new ArrayList<>();
    for (int b = firstSwapped; b < blocks; b++) {
      for (String relative : layout.streamed().keySet()) {
        swappedKeys.add(layout.key(b, relative));
      }
    }
    WeightTier swapped = source.fp8SwapTier(swappedKeys);
    SortedMap<Integer, WeightTier> tiers = new TreeMap<>();
    for (int b = 0; b < blocks; b++) {
      if (b < firstSwapped) {
        for (String relative : layout.streamed().keySet()) {
          resident.put(layout.key(b, relative), source.quantised(layout.key(b, relative)));
        }
      }
      tiers.put(b, b < firstSwapped ? resident : swapped);
    }
    return new StreamedBlocks(layout, tiers, manager);
  }
}
