package org.tsumugi.ops.monitor;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
import org.tsumugi.actors.RunEvent.StateSaved;
import org.tsumugi.actors.RunEvent.StepMetrics;
import org.tsumugi.actors.RunEvent.StepsCompleted;

/** How events and progress read for a person: the lines of {@code tsumugi watch} and the console's progress text. */
public final class EventText {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private final ZoneId zone;

  public EventText(ZoneId zone) {
    this.zone = zone;
  }

  public String time(long epochMillis) {
    return TIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
  }

  /** One line for an event, given the progress after it (which knows the plan and the group names). */
  public String line(RunEvent event, RunProgress after) {
    return time(event.atMillis()) + "  " + what(event, after);
  }

  private static String what(RunEvent event, RunProgress after) {
    if (event instanceof RunStarted e) {
      return String.format(Locale.ROOT, "run %s started: %d steps, %d epochs of %d batches, lr groups %s",
          e.runName(), e.maxTrainSteps(), e.numTrainEpochs(), e.batchesPerEpoch(), e.lrGroups());
    } else if (event instanceof ProcessAttached e) {
      return "process " + e.pid() + " attached at step " + e.fromStep();
    } else if (event instanceof StepsCompleted) {
      return metrics(after);
    } else if (event instanceof EpochCompleted e) {
      return String.format(Locale.ROOT, "epoch %d done at step %d, loss/epoch %.4f", e.epoch(), e.step(),
          e.averageLoss());
    } else if (event instanceof CheckpointSaved e) {
      return saved("checkpoint", e.kind(), e.step(), e.path(), e.size());
    } else if (event instanceof StateSaved e) {
      return saved("state", e.kind(), e.step(), e.path(), e.size());
    } else if (event instanceof FileRemoved e) {
      return "removed " + e.path();
    } else if (event instanceof EmaUpdated e) {
      return "EMA updated with " + e.checkpointsMerged() + " checkpoints: " + e.path();
    } else if (event instanceof RunPaused e) {
      return "paused at step " + e.step();
    } else if (event instanceof RunContinued e) {
      return "continued at step " + e.step();
    } else if (event instanceof RunFinished e) {
      return "finished after " + e.steps() + " steps: " + e.finalPath();
    } else if (event instanceof RunFailed e) {
      return "FAILED at step " + e.step() + ": " + e.reason();
    }
    return event.getClass().getSimpleName();
  }

  private static String saved(String what, RunEvent.SaveKind kind, long step, String path, long size) {
    return String.format(Locale.ROOT, "%s saved (%s) at step %d: %s (%d bytes)", what,
        kind.name().toLowerCase(Locale.ROOT), step, path, size);
  }

  /** {@code step 120/1000 epoch 2/10 loss 0.1234 avg 0.1301 lr 1.00e-04 | 3.21 it/s ETA 0:04:35}. */
  public static String metrics(RunProgress progress) {
    List<String> parts = new ArrayList<>();
    parts.add(stepText(progress));
    progress.lastStep().ifPresent(last -> parts.add(stepMetricsText(last, progress.lrGroups())));
    Optional<Double> rate = progress.stepsPerSecond();
    rate.ifPresent(r -> parts.add(String.format(Locale.ROOT, "| %.2f it/s", r)));
    progress.secondsLeft().ifPresent(s -> parts.add("ETA " + duration(s)));
    return String.join(" ", parts);
  }

  private static String stepText(RunProgress p) {
    String steps = p.maxSteps() > 0 ? "step " + p.step() + "/" + p.maxSteps() : "step " + p.step();
    if (p.epoch() == 0) {
      return steps;
    }
    return steps + " epoch " + p.epoch() + (p.numEpochs() > 0 ? "/" + p.numEpochs() : "");
  }

  /** Loss, its moving average and each group's learning rate. */
  public static String stepMetricsText(StepMetrics m, List<String> lrGroups) {
    StringBuilder text = new StringBuilder(
        String.format(Locale.ROOT, "loss %.4f avg %.4f", m.loss(), m.averageLoss()));
    List<Double> rates = m.learningRates();
    for (int i = 0; i < rates.size(); i++) {
      String name = rates.size() == 1 ? "lr" : "lr[" + TensorBoardTags.groupName(lrGroups, i, rates.size()) + "]";
      text.append(String.format(Locale.ROOT, " %s %.2e", name, rates.get(i)));
    }
    return text.toString();
  }

  /** {@code H:MM:SS}. */
  public static String duration(long seconds) {
    return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }
}
