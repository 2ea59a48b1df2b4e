package org.tsumugi.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void offersEveryBenchmark() {
    Set<String> benchmarks = Main.commandLine().getSubcommands().get("bench").getSubcommands().keySet();
    assertTrue(benchmarks.containsAll(Set.of("step", "ema", "memory", "pipeline")), "bench offers " + benchmarks);
  }
}
