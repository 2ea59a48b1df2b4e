package org.tsumugi.ops.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tsumugi.ops.monitor.SyntheticRun.T0;
import static org.tsumugi.ops.monitor.SyntheticRun.metrics;
import static org.tsumugi.ops.monitor.SyntheticRun.steps;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.actors.RunEvent.RunPaused;
import org.tsumugi.ops.monitor.Heartbeat.Beat;
import org.tsumugi.ops.monitor.RunStatus.State;

class RunStatusTest {

  @TempDir Path runDir;

  private final EventText text = new EventText(ZoneOffset.UTC);
  private final long self = ProcessHandle.current().pid();
  private final long selfStart =
      ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L);

  @Test
  void deadProcessWithAFreshHeartbeatIsNotRunning() throws Exception {
    long dead = deadPid();
    log(SyntheticRun.started(100, List.of("unet")), SyntheticRun.attached(dead, 0, 0),
        steps(40_000, metrics(40, 1, 1)));
    writeBeat(new Beat(dead, 0, T0 + 41_000, 40, 10_000));

    RunStatus status = RunStatus.of(runDir, clockAt(T0 + 42_000));

    assertEquals(State.NOT_RUNNING, status.state());
    assertEquals("not running (last seen at 2025-01-02 03:04:46, step 40)", status.describe(text));
  }

  @Test
  void currentProcessWithAFreshHeartbeatIsRunning() throws IOException {
    log(SyntheticRun.started(100, List.of("unet")), SyntheticRun.attached(self, 0, 0),
        steps(40_000, metrics(40, 1, 1)));
    Path file = new RunFiles(runDir).heartbeat();
    try (Heartbeat heartbeat = Heartbeat.start(file, Duration.ofSeconds(10), Clock.systemUTC())) {
      heartbeat.accept(steps(40_000, metrics(40, 1, 1)));
      heartbeat.beat();
      RunStatus status = RunStatus.of(runDir, Clock.systemUTC());

      assertEquals(State.RUNNING, status.state());
      assertEquals("running (pid " + self + ", step 40/100)", status.describe(text));
    }
  }

  @Test
  void liveProcessWhoseHeartbeatStoppedIsStalled() throws IOException {
    log(SyntheticRun.started(100, List.of("unet")));
    writeBeat(new Beat(self, selfStart, T0, 7, 10_000));

    RunStatus status = RunStatus.of(runDir, clockAt(T0 + 31_000));

    assertEquals(State.STALLED, status.state());
    assertTrue(status.describe(text).startsWith("stalled: process " + self + " is alive but silent"));
  }

  @Test
  void heartbeatWithinThreeIntervalsIsFresh() throws IOException {
    log(SyntheticRun.started(100, List.of("unet")));
    writeBeat(new Beat(self, selfStart, T0, 7, 10_000));
    assertEquals(State.RUNNING, RunStatus.of(runDir, clockAt(T0 + 30_000)).state());
  }

  @Test
  void pidReusedByAnotherProgramIsNotRunning() throws IOException {
    log(SyntheticRun.started(100, List.of("unet")));
    writeBeat(new Beat(self, selfStart - 3_600_000, T0, 7, 10_000));
    assertEquals(State.NOT_RUNNING, RunStatus.of(runDir, clockAt(T0 + 1_000)).state());
  }

  @Test
  void pausedRunOfALiveProcessIsPaused() throws IOException {
    log(SyntheticRun.started(100, List.of("unet")), new RunPaused(T0 + 5_000, 12));
    writeBeat(new Beat(self, selfStart, T0 + 5_000, 12, 10_000));
    RunStatus status = RunStatus.of(runDir, clockAt(T0 + 6_000));
    assertEquals(State.PAUSED, status.state());
    assertEquals("paused (pid " + self + ", step 12/100)", status.describe(text));
  }

  @Test
  void finishedAndFailedAreFinalWhateverTheHeartbeat() throws Exception {
    long dead = deadPid();
    log(SyntheticRun.finishedRun(dead).toArray(RunEvent[]::new));
    writeBeat(new Beat(dead, 0, T0 + 5_000, 4, 10_000));
    RunStatus finished = RunStatus.of(runDir, clockAt(T0 + 999_000));
    assertEquals(State.FINISHED, finished.state());
    assertEquals("finished (step 4/4): /out/lora.safetensors", finished.describe(text));

    log(SyntheticRun.failed(6_000, 4, "loss is NaN"));
    writeBeat(new Beat(self, selfStart, T0 + 6_000, 4, 10_000));
    RunStatus failed = RunStatus.of(runDir, clockAt(T0 + 6_500));
    assertEquals(State.FAILED, failed.state());
    assertTrue(failed.state().isFinal());
    assertEquals("failed (step 4): loss is NaN", failed.describe(text));
  }

  @Test
  void runWithoutHeartbeatOrEventsHasNotStarted() throws IOException {
    RunStatus status = RunStatus.of(runDir, Clock.systemUTC());
    assertEquals(State.NOT_STARTED, status.state());
    assertFalse(status.state().hasLiveProcess());
  }

  /** The pid of a process that has exited: no process holds it now. */
  static long deadPid() throws IOException, InterruptedException {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    long pid = process.pid();
    assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "pid " + pid + " is gone");
    return pid;
  }

  private void log(RunEvent... events) throws IOException {
    try (JsonLinesSink sink = JsonLinesSink.open(new RunFiles(runDir).events())) {
      for (RunEvent event : events) {
        sink.accept(event);
      }
    }
  }

  private void writeBeat(Beat beat) throws IOException {
    new ObjectMapper().writeValue(new RunFiles(runDir).heartbeat().toFile(), beat);
  }

  private static Clock clockAt(long epochMillis) {
    return Clock.fixed(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
  }
}
