package org.tsumugi.ops.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tsumugi.ops.monitor.SyntheticRun.T0;
import static org.tsumugi.ops.monitor.SyntheticRun.metrics;
import static org.tsumugi.ops.monitor.SyntheticRun.steps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.actors.RunEvent.EpochCompleted;
import org.tsumugi.config.LoggingConfig;
import org.tsumugi.ops.monitor.TensorBoardEvent.Scalar;

class TensorBoardSinkTest {

  @TempDir Path loggingDir;

  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC);
  private final LoggingConfig logging =
      new LoggingConfig(Optional.of(Path.of("unused")), Optional.of("wan-"), "network_train", false);

  @Test
  void writesUnderTheReferenceRunDirectory() throws IOException {
    try (TensorBoardSink sink = TensorBoardSink.open(withDir(loggingDir), clock)) {
      Path expected = loggingDir.resolve("wan-20250102030405").resolve("network_train");
      assertEquals(expected, sink.file().getParent());
      String name = sink.file().getFileName().toString();
      assertTrue(name.matches("events\\.out\\.tfevents\\.1735787045\\..+\\.\\d+\\.0"), name);
    }
  }

  @Test
  void logsTheReferenceTagsAtGlobalStepsAndLossPerEpochAtTheEpoch() throws IOException {
    Path file;
    try (TensorBoardSink sink = TensorBoardSink.open(withDir(loggingDir), clock)) {
      file = sink.file();
      sink.accept(SyntheticRun.started(4, List.of("unet", "unet plus")));
      sink.accept(steps(3_000, metrics(1, 1, 2), metrics(2, 1, 2)));
      sink.accept(new EpochCompleted(T0 + 3_100, 1, 2, 0.75f));
    }

    List<TensorBoardEvent> events = TensorBoardEvents.read(file);

    assertEquals(4, events.size());
    assertEquals("brain.Event:2", events.get(0).fileVersion());
    assertEquals(T0 / 1000.0, events.get(0).wallTime());
    assertEquals(List.of(new Scalar("loss/current", 1f), new Scalar("loss/average", 2f),
        new Scalar("lr/unet", 1e-4f), new Scalar("lr/unet plus", 2e-4f)), events.get(1).scalars());
    assertEquals(1, events.get(1).step());
    assertEquals(List.of(new Scalar("loss/current", 0.5f), new Scalar("loss/average", 1f),
        new Scalar("lr/unet", 1e-4f), new Scalar("lr/unet plus", 2e-4f)), events.get(2).scalars());
    assertEquals(2, events.get(2).step());
    assertEquals(List.of(new Scalar("loss/epoch", 0.75f)), events.get(3).scalars());
    assertEquals(1, events.get(3).step());
  }

  @Test
  void datesEachStepByWhenItEnded() throws IOException {
    Path file;
    try (TensorBoardSink sink = TensorBoardSink.open(withDir(loggingDir), clock)) {
      file = sink.file();
      sink.accept(steps(3_000, metrics(1, 1, 1), metrics(2, 1, 1))); // each step took 1.0 s
    }
    List<TensorBoardEvent> events = TensorBoardEvents.read(file);
    assertEquals((T0 + 2_000) / 1000.0, events.get(1).wallTime(), 1e-6);
    assertEquals((T0 + 3_000) / 1000.0, events.get(2).wallTime(), 1e-6);
  }

  @Test
  void namesGroupsLikeTheReferenceWhenTheRunDidNotSayThem() throws IOException {
    Path file;
    try (TensorBoardSink sink = TensorBoardSink.open(withDir(loggingDir), clock)) {
      file = sink.file();
      sink.accept(steps(1_000, metrics(1, 1, 1)));
      sink.accept(steps(2_000, metrics(2, 1, 3)));
    }
    List<TensorBoardEvent> events = TensorBoardEvents.read(file);
    assertEquals("lr/unet", events.get(1).scalars().get(2).tag());
    assertEquals(List.of("lr/group0", "lr/group1", "lr/group2"),
        events.get(2).scalars().subList(2, 5).stream().map(Scalar::tag).toList());
  }

  @Test
  void eachBatchIsOnDiskBeforeTheFileCloses() throws IOException {
    try (TensorBoardSink sink = TensorBoardSink.open(withDir(loggingDir), clock)) {
      sink.accept(steps(1_000, metrics(1, 1, 1)));
      assertEquals(2, TensorBoardEvents.read(sink.file()).size());
      sink.accept(steps(2_000, metrics(2, 1, 1), metrics(3, 1, 1)));
      assertEquals(4, TensorBoardEvents.read(sink.file()).size());
    }
  }

  @Test
  void aNewProcessWritesANewRunDirectory() throws IOException {
    TensorBoardSink.open(withDir(loggingDir), clock).close();
    TensorBoardSink.open(withDir(loggingDir), Clock.offset(clock, java.time.Duration.ofSeconds(61))).close();
    try (Stream<Path> runs = Files.list(loggingDir)) {
      assertEquals(List.of("wan-20250102030405", "wan-20250102030506"),
          runs.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  private LoggingConfig withDir(Path dir) {
    return new LoggingConfig(Optional.of(dir), logging.logPrefix(), logging.logTrackerName(), false);
  }
}
