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

  @Test
  void tableShowsFastestAndMeanOfTheTimedSteps() {
    String table = MemoryTable.format(List.of("RESULT fp8=false,swap=15,gc=true load_s=12.00 "
        + "steps_s=9.0,4.0,6.0 cpu_s=18,8,12 runqueue_s=1,2,3 other_cpu_s=0,1,1 waits_s=1.0,0.5,0.25 losses=1,1,1 rss_load_mib=3000 peak_mib=3500 anon_mib=3400 fetch_ms=80.0"));
    assertTrue(table.contains("4.00/    5.00    10.00     2.50     1.00    0.38"), table);
    assertTrue(table.contains("3500 MiB"), table);
  }
}
