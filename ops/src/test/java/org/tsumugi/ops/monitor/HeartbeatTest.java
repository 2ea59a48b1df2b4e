package org.tsumugi.ops.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tsumugi.ops.monitor.SyntheticRun.metrics;
import static org.tsumugi.ops.monitor.SyntheticRun.steps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.ops.monitor.Heartbeat.Beat;

class HeartbeatTest {

  @TempDir Path runDir;

  @Test
  void rewritesTheBeatEveryIntervalWithTheLatestStep() throws IOException {
    Path file = new RunFiles(runDir).heartbeat();
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      try (Heartbeat heartbeat = Heartbeat.start(file, Duration.ofMillis(50), Clock.systemUTC())) {
        Beat first = Heartbeat.read(file).orElseThrow();
        assertEquals(ProcessHandle.current().pid(), first.pid());
        assertEquals(0, first.step());
        assertEquals(50, first.intervalMillis());

        heartbeat.accept(steps(1_000, metrics(6, 1, 1), metrics(7, 1, 1)));
        Beat later = first;
        while (later.step() != 7) {
          Thread.sleep(20);
          later = Heartbeat.read(file).orElseThrow();
        }
        assertTrue(later.atMillis() > first.atMillis());
      }
    });
    try (Stream<Path> files = Files.list(runDir)) {
      assertEquals(1, files.count(), "no temporary file is left beside the heartbeat");
    }
  }
}
