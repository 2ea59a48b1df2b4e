package org.tsumugi.ops.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tsumugi.engine.model.MemoryOptions;

class MemoryBenchmarkTest {

  @Test
  void aConfigurationSurvivesTheTripToTheChildProcess() {
    MemoryOptions o = new MemoryOptions(true, 20, true);
    assertEquals("fp8=true,swap=20,gc=true", MemoryBenchmark.describe(o));
    assertEquals(o, MemoryBenchmark.parse(MemoryBenchmark.describe(o)));
    assertThrows(IllegalArgumentException.class, () -> MemoryBenchmark.parse("fp8=true,blocks=3"));
  }

  static final String UNSWAPPED = "RESULT fp8=false,swap=0,gc=true load_s=12.00 steps_s=9.0,4.0,6.0 cpu_s=18,8,12 "
      + "runqueue_s=1,2,3 other_cpu_s=0,1,1 waits_s=1.0,0.5,0.25 losses=1,0.9,0.8 grad_norms=0.1,0.1,0.1 "
      + "rss_base_mib=200 rss_load_mib=5900 peak_mib=6200 anon_mib=6100 fetch_ms=0.0 block_fwd_ms=100.0 "
      + "lora_changed=600/600 lora_delta=0.01 loadavg=1.5,2.5";
  static final String SWAPPED = "RESULT fp8=false,swap=15,gc=true load_s=5.00 steps_s=9.0,6.0,6.0 cpu_s=18,5,5 "
      + "runqueue_s=1,0.5,1.5 other_cpu_s=0,1,1 waits_s=0,0,0 losses=1,0.9,NaN grad_norms=0.1,0.1,0.1 "
      + "rss_base_mib=200 rss_load_mib=3600 peak_mib=4000 anon_mib=3900 fetch_ms=60.0 block_fwd_ms=90.0 "
      + "lora_changed=598/600 lora_delta=0.01 loadavg=2.5,3.0";

  @Test
  void tableShowsFastestMeanAndUncontendedStepWithTheLoad() {
    String table = MemoryTable.format(List.of(UNSWAPPED), WeightBudgetTest.WAN13);
    // steps 4 and 6 s timed, run-queue 2 and 3 s: min 4, mean 5, mean less queue 2.5
    assertTrue(table.contains("4.00/    5.00    2.50   10.00    2.50    1.00   0.38"), table);
    assertTrue(table.contains("6200 MiB"), table);
    assertTrue(table.contains("5700 MiB"), table); // RSS after load less before
    assertTrue(table.contains("600/600"), table);
    assertTrue(table.contains("1.5-2.5"), table);
  }

  @Test
  void findingsCallATierSlowerThanTheUnswappedRunsForwardSlower() {
    String slowTier = SWAPPED.replace("fetch_ms=60.0 block_fwd_ms=90.0", "fetch_ms=120.0 block_fwd_ms=300.0");
    String findings = MemoryFindings.format(List.of(UNSWAPPED, slowTier), WeightBudgetTest.WAN13);
    assertTrue(findings.contains("a block in 120.0 ms vs a block's forward 100.0 ms (the faster of the two runs) -> "
        + "the tier is SLOWER than compute"), findings);
  }

  @Test
  void findingsCompareSwapWithTheSameRunUnswapped() {
    String findings = MemoryFindings.format(List.of(UNSWAPPED, SWAPPED), WeightBudgetTest.WAN13);
    // 15 blocks' linears less two slots: 13 × 4 × 46 399 488 bytes = 2301 MiB planned; the peak fell 2200 MiB
    assertTrue(findings.contains("peak falls 2200 MiB, 96% of the 2301 MiB"), findings);
    assertTrue(findings.contains("a block in 60.0 ms vs a block's forward 90.0 ms (the faster of the two runs) -> the "
        + "tier keeps up"), findings);
    // mean 6 vs 5 s = +20%; less run-queue 5 vs 2.5 s = +100%
    assertTrue(findings.contains("step +20.0%"), findings);
    assertTrue(findings.contains("within 15%: no measured, no less run-queue wait"), findings);
    assertTrue(findings.contains("finite no; LoRA tensors moved 598/600"), findings);
    assertTrue(findings.contains("NOT TRAINED"), findings);
  }
}
