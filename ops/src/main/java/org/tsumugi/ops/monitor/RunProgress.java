package org.tsumugi.ops.monitor;

import java.util.List;
import java.util.Optional;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.actors.RunEvent.EpochCompleted;
import org.tsumugi.actors.RunEvent.ProcessAttached;
import org.tsumugi.actors.RunEvent.RunContinued;
import org.tsumugi.actors.RunEvent.RunFailed;
import org.tsumugi.actors.RunEvent.RunFinished;
import org.tsumugi.actors.RunEvent.RunPaused;
import org.tsumugi.actors.RunEvent.RunStarted;
import org.tsumugi.actors.RunEvent.StepMetrics;
import org.tsumugi.actors.RunEvent.StepsCompleted;

/**
 * Where a run stands according to its events (not whether a process is alive: see {@link RunStatus}). A fold over the
 * event sequence, shared by the console, the live page and {@code watch}. Not thread-safe.
 */
public final class RunProgress {

  /** The phase the events alone tell. */
  public enum Phase { NOT_STARTED, RUNNING, PAUSED, FINISHED, FAILED }

  private Phase phase = Phase.NOT_STARTED;
  private String runName = "";
  private long maxSteps;
  private int numEpochs;
  private List<String> lrGroups = List.of();
  private Optional<StepMetrics> lastStep = Optional.empty();
  private long step;
  private int epoch;
  private long pid;
  private long attachedAtMillis;
  private long attachedFromStep;
  private long pausedAtMillis;
  private long pausedMillis;
  private long lastEventMillis;
  private String ending = "";

  public void apply(RunEvent event) {
    lastEventMillis = event.atMillis();
    if (event instanceof RunStarted started) {
      runName = started.runName();
      maxSteps = started.maxTrainSteps();
      numEpochs = started.numTrainEpochs();
      lrGroups = List.copyOf(started.lrGroups());
      phase = Phase.RUNNING;
    } else if (event instanceof ProcessAttached attached) {
      pid = attached.pid();
      attachedAtMillis = attached.atMillis();
      attachedFromStep = attached.fromStep();
      step = Math.max(step, attached.fromStep());
      pausedMillis = 0;
      phase = Phase.RUNNING;
    } else if (event instanceof StepsCompleted completed && !completed.steps().isEmpty()) {
      StepMetrics last = completed.steps().get(completed.steps().size() - 1);
      lastStep = Optional.of(last);
      step = last.step();
      epoch = last.epoch();
    } else if (event instanceof EpochCompleted epochEnd) {
      epoch = epochEnd.epoch();
      step = Math.max(step, epochEnd.step());
    } else if (event instanceof RunPaused paused) {
      pausedAtMillis = paused.atMillis();
      step = Math.max(step, paused.step());
      phase = Phase.PAUSED;
    } else if (event instanceof RunContinued) {
      pausedMillis += event.atMillis() - pausedAtMillis;
      phase = Phase.RUNNING;
    } else if (event instanceof RunFinished finished) {
      step = Math.max(step, finished.steps());
      ending = finished.finalPath();
      phase = Phase.FINISHED;
    } else if (event instanceof RunFailed failed) {
      step = Math.max(step, failed.step());
      ending = failed.reason();
      phase = Phase.FAILED;
    }
  }

  /** Optimizer steps per second done by the attached process, pauses excluded; empty before its first step. */
  public Optional<Double> stepsPerSecond() {
    long steps = step - attachedFromStep;
    long millis = lastEventMillis - attachedAtMillis - pausedMillis;
    if (attachedAtMillis == 0 || steps <= 0 || millis <= 0) {
      return Optional.empty();
    }
    return Optional.of(steps * 1000.0 / millis);
  }

  /** Seconds left at the current rate; empty when the rate or the total is unknown. */
  public Optional<Long> secondsLeft() {
    if (maxSteps <= 0) {
      return Optional.empty();
    }
    return stepsPerSecond().map(rate -> Math.round(Math.max(0, maxSteps - step) / rate));
  }

  public Phase phase() {
    return phase;
  }

  public String runName() {
    return runName;
  }

  public long maxSteps() {
    return maxSteps;
  }

  public int numEpochs() {
    return numEpochs;
  }

  public List<String> lrGroups() {
    return lrGroups;
  }

  /** The metrics of the latest completed step. */
  public Optional<StepMetrics> lastStep() {
    return lastStep;
  }

  public long step() {
    return step;
  }

  public int epoch() {
    return epoch;
  }

  /** The process last attached to the run; 0 when none was recorded. */
  public long pid() {
    return pid;
  }

  public long lastEventMillis() {
    return lastEventMillis;
  }

  /** The final LoRA of a finished run, or the reason of a failed one; empty otherwise. */
  public String ending() {
    return ending;
  }
}
