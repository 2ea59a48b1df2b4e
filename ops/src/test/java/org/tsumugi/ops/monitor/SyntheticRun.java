package org.tsumugi.ops.monitor;

import java.util.ArrayList;
import java.util.List;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.actors.RunEvent.CheckpointSaved;
import org.tsumugi.actors.RunEvent.EmaUpdated;
import org.tsumugi.actors.RunEvent.EpochCompleted;
import org.tsumugi.actors.RunEvent.FileRemoved;
import org.tsumugi.actors.RunEvent.ProcessAttached;
import org.tsumugi.actors.RunEvent.RunContinued;
import org.tsumugi.actors.RunEvent.RunFailed;
import org.tsumugi.actors.RunEvent.RunFinished;
import org.tsumugi.actors.RunEvent.RunPaused;
import org.tsumugi.actors.RunEvent.RunStarted;
import org.tsumugi.actors.RunEvent.SaveKind;
import org.tsumugi.actors.RunEvent.StateSaved;
import org.tsumugi.actors.RunEvent.StepMetrics;
import org.tsumugi.actors.RunEvent.StepsCompleted;

/** Run events made up for tests: no training runs. Times are milliseconds after {@link #T0}. */
final class SyntheticRun {

  static final long T0 = 1_735_787_045_000L; // 2025-01-02T03:04:05Z

  private SyntheticRun() {}

  static RunStarted started(long maxSteps, List<String> lrGroups) {
    return new RunStarted(T0, "tiny-lora", "network_dim = 4\n", "ab12", maxSteps, 2, (int) (maxSteps / 2),
        lrGroups);
  }

  static ProcessAttached attached(long pid, long fromStep, long atMillis) {
    return new ProcessAttached(T0 + atMillis, pid, fromStep);
  }

  /** Step {@code step} with loss {@code 1/step}, average {@code 2/step}, rates {@code 1e-4 * (group + 1)}. */
  static StepMetrics metrics(long step, int epoch, int groups) {
    List<Double> rates = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      rates.add(1e-4 * (g + 1));
    }
    return new StepMetrics(step, epoch, 1f / step, 2f / step, rates, 0.5, 1.0);
  }

  static StepsCompleted steps(long atMillis, StepMetrics... metrics) {
    return new StepsCompleted(T0 + atMillis, List.of(metrics));
  }

  /** A finished four-step run of two epochs with one of every event type. */
  static List<RunEvent> finishedRun(long pid) {
    return List.of(
        started(4, List.of("unet")),
        attached(pid, 0, 100),
        steps(1_100, metrics(1, 1, 1), metrics(2, 1, 1)),
        new EpochCompleted(T0 + 1_200, 1, 2, 0.75f),
        new CheckpointSaved(T0 + 1_300, SaveKind.EPOCH, 2, 1, "/out/lora-000001.safetensors", 1234, "cafe"),
        new StateSaved(T0 + 1_400, SaveKind.EPOCH, 2, 1, "/out/lora-000001-state", 5678, "beef"),
        new RunPaused(T0 + 1_500, 2),
        new RunContinued(T0 + 2_500, 2),
        steps(4_500, metrics(3, 2, 1), metrics(4, 2, 1)),
        new EpochCompleted(T0 + 4_600, 2, 4, 0.5f),
        new FileRemoved(T0 + 4_700, "/out/lora-000001-state"),
        new EmaUpdated(T0 + 4_800, 2, "/out/lora-ema.safetensors", 1234, "f00d", 4, "/out/lora-000002.safetensors",
            "lora-ema-accumulator-000002.safetensors", 2468, "d00d"),
        new RunFinished(T0 + 5_000, 4, "/out/lora.safetensors"));
  }

  static RunFailed failed(long atMillis, long step, String reason) {
    return new RunFailed(T0 + atMillis, step, reason);
  }
}
