package org.tsumugi.ops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tsumugi.engine.model.MemoryOptions;
import org.tsumugi.engine.model.wan.WanConfig;

/** The planned weight bytes of t2v-1.3B against reference/wan-model.md §1.9's per-block formula. */
class WeightBudgetTest {

  static final WanConfig WAN13 = WanConfig.Preset.forTask("t2v-1.3B").config();
  static final long D = 1536;
  static final long FFN = 8960;
  /** Linear weights of one block: self and cross attention q, k, v, o (D×D) and the two FFN matrices. */
  static final long LINEARS = 8 * D * D + 2 * D * FFN;

  @Test
  void float32SizeGrowsByTheSpecsBlockParameterCountPerBlock() {
    long perBlock = 2 * (4 * (D * D + D) + 2 * D) + 2 * D + (2 * D * FFN + FFN + D) + 6 * D;
    assertEquals(4 * perBlock, WeightBudget.float32Bytes(WAN13.withLayers(31)) - WeightBudget.float32Bytes(WAN13));
  }

  @Test
  void noOptionKeepsEveryWeightAsFloat32() {
    assertEquals(new WeightBudget(WeightBudget.float32Bytes(WAN13), 0, 0, 0),
        WeightBudget.of(WAN13, MemoryOptions.NONE));
  }

  @Test
  void swappedBlocksLeaveTheirLinearsForTwoSlots() {
    WeightBudget b = WeightBudget.of(WAN13, new MemoryOptions(false, 20, true));
    assertEquals(WeightBudget.float32Bytes(WAN13) - 20 * 4 * LINEARS, b.residentFloat());
    assertEquals(2 * 4 * LINEARS, b.slots());
    assertEquals(0, b.fp8());
  }

  @Test
  void fp8HoldsTheResidentBlocksLinearsAsOneByteEachPlusAFloatScalePer64() {
    WeightBudget b = WeightBudget.of(WAN13, new MemoryOptions(true, 20, true));
    assertEquals(WeightBudget.float32Bytes(WAN13) - 30 * 4 * LINEARS, b.residentFloat());
    assertEquals(10 * (LINEARS + LINEARS / 16), b.fp8());
    assertEquals(10 * 4 * LINEARS, b.fp8AsFloat32());
    assertEquals(2 * 4 * LINEARS, b.slots());
  }
}
