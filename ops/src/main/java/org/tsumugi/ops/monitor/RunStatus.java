package org.tsumugi.ops.monitor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.ops.monitor.Heartbeat.Beat;

/**
 * The state shown for a run, which must be true: the event log says whether the run ended (finished and failed are
 * final); otherwise only a fresh heartbeat from a process that is still alive makes it "running". A process that died
 * without a last word is shown as not running, with when it was last seen and at which step.
 *
 * @param lastSeenMillis the latest sign of life (a beat or an event); 0 when there was none
 * @param detail the final LoRA of a finished run, the reason of a failed one; empty otherwise
 */
public record RunStatus(State state, long step, long maxSteps, long pid, long lastSeenMillis, String detail) {

  /** A heartbeat older than this many intervals is stale: the process missed several beats in a row. */
  static final int STALE_AFTER_INTERVALS = 3;

  public enum State {
    NOT_STARTED, RUNNING, PAUSED, STALLED, NOT_RUNNING, FINISHED, FAILED;

    /** The run will not change any more. */
    public boolean isFinal() {
      return this == FINISHED || this == FAILED;
    }

    /** A process is working on the run (or holds it paused, or is alive but silent). */
    public boolean hasLiveProcess() {
      return this == RUNNING || this == PAUSED || this == STALLED;
    }
  }

  /** Reads the run directory's event log and heartbeat. */
  public static RunStatus of(Path runDir, Clock clock) throws IOException {
    RunFiles files = new RunFiles(runDir);
    RunProgress progress = new RunProgress();
    for (RunEvent event : RunEventLog.readAll(files.events())) {
      progress.apply(event);
    }
    return decide(progress, Heartbeat.read(files.heartbeat()), clock.instant());
  }

  /** The shown state from what the events say and the last heartbeat, at {@code now}. */
  public static RunStatus decide(RunProgress progress, Optional<Beat> beat, Instant now) {
    long step = Math.max(progress.step(), beat.map(Beat::step).orElse(0L));
    long pid = beat.map(Beat::pid).orElse(progress.pid());
    long lastSeen = Math.max(progress.lastEventMillis(), beat.map(Beat::atMillis).orElse(0L));
    RunProgress.Phase phase = progress.phase();
    State state;
    if (phase == RunProgress.Phase.FINISHED) {
      state = State.FINISHED;
    } else if (phase == RunProgress.Phase.FAILED) {
      state = State.FAILED;
    } else if (beat.isEmpty()) {
      state = phase == RunProgress.Phase.NOT_STARTED ? State.NOT_STARTED : State.NOT_RUNNING;
    } else if (!isAlive(beat.get())) {
      state = State.NOT_RUNNING;
    } else if (now.toEpochMilli() - beat.get().atMillis() > STALE_AFTER_INTERVALS * beat.get().intervalMillis()) {
      state = State.STALLED;
    } else {
      state = phase == RunProgress.Phase.PAUSED ? State.PAUSED : State.RUNNING;
    }
    return new RunStatus(state, step, progress.maxSteps(), pid, lastSeen, progress.ending());
  }

  /** The beat's process is alive and is the same process (a pid reused by another program does not count). */
  static boolean isAlive(Beat beat) {
    Optional<ProcessHandle> process = ProcessHandle.of(beat.pid()).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return false;
    }
    Optional<Instant> started = process.get().info().startInstant();
    return beat.processStartMillis() == 0 || started.isEmpty()
        || Math.abs(started.get().toEpochMilli() - beat.processStartMillis()) < 1000;
  }

  /** One line for a person, e.g. {@code not running (last seen at 2025-01-02 10:11:12, step 40)}. */
  public String describe(EventText text) {
    String steps = maxSteps > 0 ? step + "/" + maxSteps : Long.toString(step);
    String seen = lastSeenMillis > 0 ? "last seen at " + text.time(lastSeenMillis) + ", " : "";
    return switch (state) {
      case NOT_STARTED -> "not started (no events and no heartbeat yet)";
      case RUNNING -> "running (pid " + pid + ", step " + steps + ")";
      case PAUSED -> "paused (pid " + pid + ", step " + steps + ")";
      case STALLED -> "stalled: process " + pid + " is alive but silent (" + seen + "step " + step + ")";
      case NOT_RUNNING -> "not running (" + seen + "step " + step + ")";
      case FINISHED -> "finished (step " + steps + "): " + detail;
      case FAILED -> "failed (step " + step + "): " + detail;
    };
  }
}
