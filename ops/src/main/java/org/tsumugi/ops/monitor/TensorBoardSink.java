package org.tsumugi.ops.monitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.actors.RunEventSink;
import org.tsumugi.actors.RunEvent.EpochCompleted;
import org.tsumugi.actors.RunEvent.RunStarted;
import org.tsumugi.actors.RunEvent.StepMetrics;
import org.tsumugi.actors.RunEvent.StepsCompleted;
import org.tsumugi.config.LoggingConfig;

/**
 * Writes the run's scalars as TensorBoard event files with the reference's tags and steps (reference/training.md
 * §6). One point per optimizer step: the events carry each step's last micro-batch, so with gradient accumulation
 * the reference's extra per-micro-batch points are not reproduced. Flushed after every event, so a running
 * TensorBoard shows each batch of steps as it lands.
 */
public final class TensorBoardSink implements RunEventSink {

  private static final DateTimeFormatter RUN_STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

  private final TensorBoardWriter writer;
  private List<String> lrGroups = List.of();

  public TensorBoardSink(TensorBoardWriter writer) {
    this.writer = writer;
  }

  /**
   * Opens a new event file in {@code {logging_dir}/{log_prefix}{yyyyMMddHHmmss}/{log_tracker_name}/}, stamped with the
   * local time now, as the reference does for every process it starts (a resume gets a new directory).
   */
  public static TensorBoardSink open(LoggingConfig logging, Clock clock) throws IOException {
    return new TensorBoardSink(TensorBoardWriter.create(directory(logging, LocalDateTime.now(clock)), clock.instant()));
  }

  public static Path directory(LoggingConfig logging, LocalDateTime startedAt) {
    Path loggingDir = logging.loggingDir().orElseThrow(() -> new IllegalArgumentException(
        "TensorBoard logging needs logging_dir; it is not set"));
    String runDir = logging.logPrefix().orElse("") + RUN_STAMP.format(startedAt);
    return loggingDir.resolve(runDir).resolve(logging.logTrackerName());
  }

  public Path file() {
    return writer.file();
  }

  @Override
  public void accept(RunEvent event) {
    try {
      if (event instanceof RunStarted started) {
        lrGroups = List.copyOf(started.lrGroups());
      } else if (event instanceof StepsCompleted completed) {
        writeSteps(completed);
        writer.flush();
      } else if (event instanceof EpochCompleted epochEnd) {
        writer.write(TensorBoardEvent.scalars(seconds(epochEnd.atMillis()), epochEnd.epoch(),
            List.of(TensorBoardTags.epochScalar(epochEnd))));
        writer.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write TensorBoard events to " + writer.file(), e);
    }
  }

  /** The batch was recorded when its last step ended; earlier steps ended their successors' durations before. */
  private void writeSteps(StepsCompleted completed) throws IOException {
    List<StepMetrics> steps = completed.steps();
    double[] endSeconds = new double[steps.size()];
    double end = seconds(completed.atMillis());
    for (int i = steps.size() - 1; i >= 0; i--) {
      endSeconds[i] = end;
      end -= steps.get(i).seconds();
    }
    for (int i = 0; i < steps.size(); i++) {
      StepMetrics m = steps.get(i);
      writer.write(TensorBoardEvent.scalars(endSeconds[i], m.step(), TensorBoardTags.stepScalars(m, lrGroups)));
    }
  }

  private static double seconds(long epochMillis) {
    return epochMillis / 1000.0;
  }

  @Override
  public void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the TensorBoard event file " + writer.file(), e);
    }
  }
}
