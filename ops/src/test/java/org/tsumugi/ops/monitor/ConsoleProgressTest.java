package org.tsumugi.ops.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tsumugi.ops.monitor.SyntheticRun.metrics;
import static org.tsumugi.ops.monitor.SyntheticRun.steps;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tsumugi.actors.RunEvent.CheckpointSaved;
import org.tsumugi.actors.RunEvent.RunFinished;
import org.tsumugi.actors.RunEvent.SaveKind;

class ConsoleProgressTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  /** Ten one-second steps after attaching at 0 s, a checkpoint at step 5, then the end. */
  private void feed(ConsoleProgress console) {
    console.accept(SyntheticRun.started(10, List.of("unet")));
    console.accept(SyntheticRun.attached(77, 0, 0));
    for (int step = 1; step <= 10; step++) {
      console.accept(steps(step * 1_000L, metrics(step, 1, 1)));
      if (step == 5) {
        console.accept(new CheckpointSaved(SyntheticRun.T0 + 5_000, SaveKind.STEP, 5, 1, "/out/a.safetensors", 9,
            "ab"));
      }
    }
    console.accept(new RunFinished(SyntheticRun.T0 + 10_500, 10, "/out/lora.safetensors"));
    console.close();
  }

  @Test
  void printsAPlainLineEveryNStepsWhenNotOnATerminal() {
    feed(ConsoleProgress.lines(out, 4));
    String text = bytes.toString(StandardCharsets.UTF_8);
    List<String> stepLines = Arrays.stream(text.split("\n")).filter(l -> l.contains("  step ")).toList();

    assertEquals(4, stepLines.size(), text); // steps 1, 5, 9 and the last
    assertTrue(stepLines.get(1).endsWith(
        "step 5/10 epoch 1/2 loss 0.2000 avg 0.4000 lr 1.00e-04 | 1.00 it/s ETA 0:00:05"), stepLines.get(1));
    assertTrue(stepLines.get(3).contains("step 10/10"), stepLines.get(3));
    assertTrue(text.contains("checkpoint saved (step) at step 5: /out/a.safetensors (9 bytes)"), text);
    assertTrue(text.contains("finished after 10 steps: /out/lora.safetensors"), text);
    assertFalse(text.contains("\r"), "a log file gets no carriage returns");
  }

  @Test
  void printsAtLeastOneLineAMinuteOnSlowRuns() {
    ConsoleProgress console = ConsoleProgress.lines(out, 1000);
    console.accept(SyntheticRun.started(10_000, List.of("unet")));
    console.accept(SyntheticRun.attached(77, 0, 0));
    console.accept(steps(30_000, metrics(1, 1, 1)));
    console.accept(steps(60_000, metrics(2, 1, 1)));
    console.accept(steps(90_100, metrics(3, 1, 1)));
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("step 1/10000"), text);
    assertFalse(text.contains("step 2/10000"), text);
    assertTrue(text.contains("step 3/10000"), text);
  }

  @Test
  void redrawsABarOnATerminal() {
    feed(ConsoleProgress.redrawing(out));
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("\r"), "the bar is redrawn in place");
    assertTrue(text.contains("10/10"), text);
    assertTrue(text.contains("it/s loss 0.1000 avg 0.2000"), text);
    assertTrue(text.contains("checkpoint saved (step) at step 5"), text);
  }
}
