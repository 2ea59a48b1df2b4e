package org.tsumugi.ops.bench;

import java.util.Map;
import org.tsumugi.engine.model.BlockLayout;
import org.tsumugi.engine.model.MemoryOptions;
import org.tsumugi.engine.model.StreamedBlocks;
import org.tsumugi.engine.model.wan.WanConfig;
import org.tsumugi.engine.model.wan.WanLayout;
import org.tsumugi.engine.quant.Fp8Targets;

/**
 * What a Wan model's weights should occupy under memory options, from its shapes alone: the planning figure a run's
 * resident memory after loading is checked against.
 *
 * @param residentFloat float32 tensors kept for the whole run (everything not streamed)
 * @param fp8 codes (one byte each) and float32 scales of the fp8 weights held in memory
 * @param fp8AsFloat32 what those fp8 weights would take as float32
 * @param slots float32 slot buffers the streamed blocks share
 */
record WeightBudget(long residentFloat, long fp8, long fp8AsFloat32, long slots) {

  /** Every Wan linear has in_features divisible by 64: one scale per 64 weights (reference/wan-model.md §5). */
  private static final int SCALE_GROUP = 64;

  static WeightBudget of(WanConfig config, MemoryOptions options) {
    int firstSwapped = config.numLayers() - options.blocksToSwap();
    long resident = 0;
    long fp8 = 0;
    long fp8AsFloat = 0;
    long slotBlock = 0;
    for (Map.Entry<String, long[]> e : WanLayout.expectedShapes(config).entrySet()) {
      String key = e.getKey();
      long numel = numel(e.getValue());
      int block = blockOf(key);
      boolean streamable = block >= 0 && (options.fp8Scaled() ? Fp8Targets.selects(key)
          : BlockLayout.LINEAR_WEIGHTS.test(key, e.getValue()));
      slotBlock += block == 0 && streamable ? 4 * numel : 0;
      if (!streamable || (!options.fp8Scaled() && block < firstSwapped)) {
        resident += 4 * numel;
      } else if (block < firstSwapped) {
        fp8 += numel + 4 * (numel / SCALE_GROUP);
        fp8AsFloat += 4 * numel;
      }
    }
    int streamedBlocks = options.fp8Scaled() ? config.numLayers() : options.blocksToSwap();
    return new WeightBudget(resident, fp8, fp8AsFloat, Math.min(StreamedBlocks.RING, streamedBlocks) * slotBlock);
  }

  long total() {
    return residentFloat + fp8 + slots;
  }

  /** Float32 bytes of every weight of the model: what the memory options are measured against. */
  static long float32Bytes(WanConfig config) {
    return WanLayout.expectedShapes(config).values().stream().mapToLong(s -> 4 * numel(s)).sum();
  }

  private static int blockOf(String key) {
    if (!key.startsWith("blocks.")) {
      return -1;
    }
    return Integer.parseInt(key.substring("blocks.".length(), key.indexOf('.', "blocks.".length())));
  }

  private static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
