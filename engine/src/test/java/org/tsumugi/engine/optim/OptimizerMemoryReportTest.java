package org.tsumugi.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OptimizerMemoryReportTest {

  @Test
  void eightBitStateIsOneByteAPerMomentPlusAFloatPerBlock() {
    OptimizerMemoryReport.Figures f = OptimizerMemoryReport.measure();
    assertEquals(16L * 2 * 16 * 2048, f.parameters());
    assertEquals(f.parameters() * 2 * 4, f.adamWBytes());
    // Every tensor has 32768 elements: two uint8 moments plus two float32 maxima per 256-element block.
    assertEquals(f.parameters() * 2 + (f.parameters() / 256) * 2 * 4, f.adamW8bitBytes());
  }
}
