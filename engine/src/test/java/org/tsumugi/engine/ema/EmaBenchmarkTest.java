package org.tsumugi.engine.ema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark runs end to end on tiny inputs and cleans up; no timing is asserted. */
class EmaBenchmarkTest {
  @TempDir Path dir;

  @Test
  void reportsBothRatesAndLeavesNoFiles() throws IOException {
    EmaBenchmark.Report report = EmaBenchmark.run(dir, 3, 200_000);
    assertEquals(3, report.files());
    assertTrue(report.inputBytes() >= 3 * 190_000 && report.inputBytes() <= 3 * 220_000, () -> "" + report);
    assertTrue(report.readGbPerSecond() > 0 && report.mergeGbPerSecond() > 0, () -> "" + report);
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(0, left.count());
    }
  }

  @Test
  void refusesFewerThanTwoFiles() {
    assertThrows(IllegalArgumentException.class, () -> EmaBenchmark.run(dir, 1, 1000));
  }
}
