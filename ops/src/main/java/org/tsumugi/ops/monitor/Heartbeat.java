package org.tsumugi.ops.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.actors.RunEvent.ProcessAttached;
import org.tsumugi.actors.RunEvent.StepsCompleted;
import org.tsumugi.actors.RunEventSink;

/**
 * Tells readers of the run directory that this process is alive: every heartbeat interval it replaces a small JSON
 * file (pid, process start, time, step) atomically, so a reader sees the previous beat or the next one, never half.
 * The event log alone cannot tell a quiet run from a dead one; {@link RunStatus} reads both.
 */
public final class Heartbeat implements RunEventSink {

  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One beat.
   *
   * @param processStartMillis when the process started (0 if the OS does not say): tells a reused pid apart
   * @param intervalMillis how often beats come, so that a reader can judge freshness without the run's config
   */
  public record Beat(long pid, long processStartMillis, long atMillis, long step, long intervalMillis) {}

  private final Path file;
  private final Duration interval;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final long pid = ProcessHandle.current().pid();
  private final long processStartMillis =
      ProcessHandle.current().info().startInstant().map(instant -> instant.toEpochMilli()).orElse(0L);
  private volatile long step;

  private Heartbeat(Path file, Duration interval, Clock clock) {
    this.file = file;
    this.interval = interval;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "tsumugi-heartbeat");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Writes a first beat now, then one every {@code interval} until closed. */
  public static Heartbeat start(Path file, Duration interval, Clock clock) {
    Heartbeat heartbeat = new Heartbeat(file, interval, clock);
    try {
      heartbeat.beat();
    } catch (RuntimeException e) {
      heartbeat.close();
      throw e;
    }
    long millis = interval.toMillis();
    heartbeat.timer.scheduleAtFixedRate(heartbeat::beatOrLog, millis, millis, TimeUnit.MILLISECONDS);
    return heartbeat;
  }

  @Override
  public void accept(RunEvent event) {
    if (event instanceof ProcessAttached attached) {
      step = Math.max(step, attached.fromStep());
    } else if (event instanceof StepsCompleted completed && !completed.steps().isEmpty()) {
      step = completed.steps().get(completed.steps().size() - 1).step();
    }
  }

  /** Replaces the heartbeat file with a beat stamped now. */
  public void beat() {
    Beat beat = new Beat(pid, processStartMillis, clock.millis(), step, interval.toMillis());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      JSON.writeValue(temporary.toFile(), beat);
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the heartbeat " + file, e);
    }
  }

  private void beatOrLog() {
    try {
      beat();
    } catch (RuntimeException e) {
      LOG.warn("heartbeat not written: {}", e.getMessage());
    }
  }

  /** The last beat written to {@code file}; empty when there is none. */
  public static Optional<Beat> read(Path file) throws IOException {
    try {
      return Optional.of(JSON.readValue(Files.readAllBytes(file), Beat.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Stops beating; readers then see the beat age and, once the process is gone, a run that is not running. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS); // a beat being written finishes before the caller goes on
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
