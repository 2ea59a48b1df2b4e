package org.tsumugi.ops.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tsumugi.ops.monitor.SyntheticRun.T0;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.actors.RunControl.Request;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.config.LoggingConfig;
import org.tsumugi.config.RuntimeConfig;

class MonitorSinksTest {

  @TempDir Path root;

  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC);
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ConsoleProgress quietConsole =
      ConsoleProgress.lines(new PrintStream(OutputStream.nullOutputStream()), 0);

  @Test
  void opensEverySinkTheSettingsAskFor() throws Exception {
    Path runDir = root.resolve("run");
    LoggingConfig logging = new LoggingConfig(Optional.of(root.resolve("logs")), Optional.empty(), "network_train",
        false);
    RuntimeConfig runtime = new RuntimeConfig(4, OptionalInt.of(0), Duration.ofSeconds(10), OptionalInt.empty(), 0.05);
    List<RunEvent> events = SyntheticRun.finishedRun(ProcessHandle.current().pid());

    try (MonitorSinks sinks = MonitorSinks.open(runDir, logging, runtime, requests::add, quietConsole, clock)) {
      events.forEach(sinks::accept);

      URI live = sinks.liveUri().orElseThrow();
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(live.resolve("/control/save")).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(202, response.statusCode());
      assertEquals(List.of(Request.SAVE_NOW), requests);
      assertEquals(ProcessHandle.current().pid(),
          Heartbeat.read(new RunFiles(runDir).heartbeat()).orElseThrow().pid());
    }

    assertEquals(events, RunEventLog.readAll(new RunFiles(runDir).events()));
    Path tensorBoardDir = root.resolve("logs").resolve("20250102030405").resolve("network_train");
    try (Stream<Path> files = Files.list(tensorBoardDir)) {
      List<TensorBoardEvent> written = TensorBoardEvents.read(files.findFirst().orElseThrow());
      assertEquals(List.of(0L, 1L, 2L, 1L, 3L, 4L, 2L), written.stream().map(TensorBoardEvent::step).toList());
    }
  }

  @Test
  void withoutLoggingDirOrPortOnlyTheRunDirectoryFilesAreWritten() throws IOException {
    Path runDir = root.resolve("run");
    LoggingConfig logging = new LoggingConfig(Optional.empty(), Optional.empty(), "network_train", false);
    RuntimeConfig runtime = new RuntimeConfig(4, OptionalInt.empty(), Duration.ofSeconds(10), OptionalInt.empty(), 0.05);

    try (MonitorSinks sinks = MonitorSinks.open(runDir, logging, runtime, requests::add, quietConsole, clock)) {
      sinks.accept(SyntheticRun.started(4, List.of("unet")));
      assertTrue(sinks.liveUri().isEmpty());
    }

    try (Stream<Path> files = Files.list(runDir)) {
      assertEquals(List.of("events.jsonl", "heartbeat.json"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertTrue(Files.notExists(root.resolve("logs")));
  }
}
