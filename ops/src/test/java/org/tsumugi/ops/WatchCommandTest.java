package org.tsumugi.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.actors.RunEvent.ProcessAttached;
import org.tsumugi.actors.RunEvent.RunFinished;
import org.tsumugi.actors.RunEvent.RunStarted;
import org.tsumugi.actors.RunEvent.StepMetrics;
import org.tsumugi.actors.RunEvent.StepsCompleted;
import org.tsumugi.ops.monitor.EventText;
import org.tsumugi.ops.monitor.Heartbeat;
import org.tsumugi.ops.monitor.JsonLinesSink;
import org.tsumugi.ops.monitor.RunFiles;
import picocli.CommandLine;

class WatchCommandTest {

  private static final long T0 = 1_735_787_045_000L;

  @TempDir Path runDir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final EventText text = new EventText(ZoneId.systemDefault());

  @Test
  void printsTheHistoryAndTheFinalStateOfAFinishedRun() throws IOException {
    long pid = ProcessHandle.current().pid();
    log(started(2), new ProcessAttached(T0 + 100, pid, 0), steps(1_100, 1, 2),
        new RunFinished(T0 + 1_500, 2, "/out/lora.safetensors"));

    int code = watch(runDir.toString());

    assertEquals(0, code, err.toString());
    assertEquals(List.of(
        text.time(T0) + "  run tiny started: 2 steps, 1 epochs of 2 batches, lr groups [unet]",
        text.time(T0 + 100) + "  process " + pid + " attached at step 0",
        text.time(T0 + 1_100) + "  step 2/2 epoch 1/1 loss 0.5000 avg 1.0000 lr 1.00e-04 | 2.00 it/s ETA 0:00:00",
        text.time(T0 + 1_500) + "  finished after 2 steps: /out/lora.safetensors",
        "state: finished (step 2/2): /out/lora.safetensors"), out.toString().lines().toList());
  }

  @Test
  void showsARunWhoseProcessDiedAsNotRunning() throws Exception {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    log(started(10), new ProcessAttached(T0 + 100, process.pid(), 0), steps(1_100, 1, 4));
    long now = Instant.now().toEpochMilli();
    new ObjectMapper().writeValue(new RunFiles(runDir).heartbeat().toFile(),
        new Heartbeat.Beat(process.pid(), 0, now, 4, 10_000));

    int code = watch(runDir.toString());

    assertEquals(3, code);
    String last = out.toString().lines().reduce((a, b) -> b).orElse("");
    assertEquals("state: not running (last seen at " + text.time(now) + ", step 4)", last);
  }

  @Test
  void followsARunningRunUntilItFinishes() {
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      log(started(4), new ProcessAttached(T0 + 100, ProcessHandle.current().pid(), 0));
      try (Heartbeat heartbeat = Heartbeat.start(new RunFiles(runDir).heartbeat(), Duration.ofSeconds(5),
          Clock.systemUTC())) {
        Thread writer = new Thread(() -> {
          try (JsonLinesSink sink = JsonLinesSink.open(new RunFiles(runDir).events())) {
            Thread.sleep(300);
            sink.accept(steps(1_000, 1, 2));
            Thread.sleep(300);
            sink.accept(steps(2_000, 3, 4));
            sink.accept(new RunFinished(T0 + 2_100, 4, "/out/lora.safetensors"));
          } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
        writer.start();
        int code = watch(runDir.toString(), "--poll-millis", "50");
        writer.join();

        assertEquals(0, code, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals(6, lines.size(), out.toString());
        assertTrue(lines.get(3).contains("step 4/4"), lines.get(3));
        assertEquals("state: finished (step 4/4): /out/lora.safetensors", lines.get(5));
        heartbeat.beat();
      }
    });
  }

  @Test
  void noFollowPrintsWhatIsThereAndTheRunningState() throws IOException {
    log(started(4), new ProcessAttached(T0 + 100, ProcessHandle.current().pid(), 0), steps(1_000, 1, 2));
    try (Heartbeat heartbeat = Heartbeat.start(new RunFiles(runDir).heartbeat(), Duration.ofSeconds(5),
        Clock.systemUTC())) {
      heartbeat.accept(steps(1_000, 1, 2));
      heartbeat.beat();
      int code = watch(runDir.toString(), "--no-follow");
      assertEquals(0, code);
      assertTrue(out.toString().endsWith("state: running (pid " + ProcessHandle.current().pid() + ", step 2/4)"
          + System.lineSeparator()), out.toString());
    }
  }

  @Test
  void refusesAMissingRunDirectory() {
    assertEquals(2, watch(runDir.resolve("nope").toString()));
    assertTrue(err.toString().contains("run directory not found: " + runDir.resolve("nope")), err.toString());
  }

  private int watch(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "watch";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }

  private static RunStarted started(long maxSteps) {
    return new RunStarted(T0, "tiny", "", "", maxSteps, (int) Math.max(1, maxSteps / 2), 2, List.of("unet"));
  }

  /** Steps {@code from..to}, each with loss 1/step and average 2/step, the last ending at {@code atMillis}. */
  private static StepsCompleted steps(long atMillis, long from, long to) {
    List<StepMetrics> metrics = new java.util.ArrayList<>();
    for (long step = from; step <= to; step++) {
      metrics.add(new StepMetrics(step, 1, 1f / step, 2f / step, List.of(1e-4), 0.5, 0.5));
    }
    return new StepsCompleted(T0 + atMillis, metrics);
  }

  private void log(RunEvent... events) throws IOException {
    try (JsonLinesSink sink = JsonLinesSink.open(new RunFiles(runDir).events())) {
      for (RunEvent event : events) {
        sink.accept(event);
      }
    }
  }
}
