package org.tsumugi.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.model.wan.WanLayout;
import org.tsumugi.engine.model.wan.WanModel;
import org.tsumugi.engine.model.wan.WanWeights;
import org.tsumugi.engine.quant.ScaledFp8;
import org.tsumugi.engine.quant.SourcePrecision;
import org.tsumugi.engine.quant.WeightSource;

/** The slot ring: what a brought-in block holds, and which blocks are read when (reference/wan-model.md §6). */
class StreamedBlocksTest {

  static final GeneratedWan WAN = new GeneratedWan();
  static final String FIRST_KEY = "self_attn.q.weight";

  @Test
  void blocksAreReadInUseOrderAndTheLastTwoStayForTheNextStep() {
    try (BackgroundFetcher background = new BackgroundFetcher()) {
      assertReadOrder(BlockFetcher.INLINE);
      assertReadOrder(background);
    }
  }

  private static void assertReadOrder(BlockFetcher fetcher) {
    List<Integer> reads = Collections.synchronizedList(new ArrayList<>());
    try (NDManager m = NDManager.newBaseManager()) {
      WanModel model = swappedModel(m, 4, reads);
      LoraNetwork lora = GeneratedWan.lora(model, m);
      GeneratedWan.step(model, lora, new TrainingExecutor(false, fetcher), m);
      // forward reads blocks 2..5 into slots 0,1,0,1; the backward re-reads 3 and 2, whose slots 4 and 5 took
      assertEquals(List.of(2, 3, 4, 5, 3, 2), reads, "first step");
      reads.clear();
      GeneratedWan.step(model, lora, new TrainingExecutor(true, fetcher), m);
      assertEquals(List.of(4, 5, 3, 2), reads, "second step: blocks 2 and 3 were still in their slots");
    }
  }

  @Test
  void aBlockBroughtInHoldsItsOwnWeightsUntilItsSlotIsTaken() {
    try (NDManager m = NDManager.newBaseManager()) {
      StreamedBlocks blocks = (StreamedBlocks) StreamedBlocks.swapped(layout(), 3, WeightSource.of(WAN.store)
          .floatTier(), m);
      assertEquals(List.of(3, 4, 5), blocks.streamedBlocks());
      assertEquals(2, blocks.slotCount());
      assertFalse(blocks.holds(3));
      assertTrue(blocks.holds(0), "a resident block is always in place");
      blocks.bringIn(3);
      assertTrue(blocks.holds(3));
      assertArrayEquals(WAN.store.values("blocks.3." + FIRST_KEY), view(blocks, 3, m));
      blocks.bringIn(5); // same slot as block 3
      assertFalse(blocks.holds(3));
      assertArrayEquals(WAN.store.values("blocks.5." + FIRST_KEY), view(blocks, 5, m));
    }
  }

  @Test
  void fp8BlocksHoldTheirQuantisedWeightsDequantised() {
    try (NDManager m = NDManager.newBaseManager()) {
      WanModel model = WAN.model(m, new MemoryOptions(true, 2, false));
      BlockResidency residency = model.weights().residency();
      assertEquals(List.of(0, 1, 2, 3, 4, 5), residency.streamedBlocks(), "fp8 streams every block");
      for (int block : List.of(1, 5)) { // one held as fp8 in memory, one swapped to the source
        residency.bringIn(block);
        String key = "blocks." + block + "." + FIRST_KEY;
        float[] expected = ScaledFp8.quantise(WAN.store.values(key), new long[] {64, 64}, SourcePrecision.F32)
            .dequantise();
        assertArrayEquals(expected, model.weights().blocks().get(block).selfAttn().q().weight().toFloatArray(), key);
      }
    }
  }

  private static WanModel swappedModel(NDManager m, int swap, List<Integer> reads) {
    WeightTier source = WeightSource.of(WAN.store).floatTier();
    WeightTier counting = (key, into) -> {
      if (key.endsWith(FIRST_KEY)) {
        reads.add(Integer.parseInt(key.split("\\.")[1]));
      }
      source.read(key, into);
    };
    BlockPlacement placement = StreamedBlocks.swapped(layout(), swap, counting, m);
    return new WanModel(WanWeights.load(WAN.store, m, GeneratedWan.CONFIG, placement));
  }

  private static BlockLayout layout() {
    return BlockLayout.of(WAN.store.shapes(), GeneratedWan.CONFIG.numLayers(), WanLayout::blockPrefix,
        BlockLayout.LINEAR_WEIGHTS);
  }

  private static float[] view(StreamedBlocks blocks, int block, NDManager m) {
    return blocks.blockStore(block, WAN.store).load("blocks." + block + "." + FIRST_KEY, m).toFloatArray();
  }
}
