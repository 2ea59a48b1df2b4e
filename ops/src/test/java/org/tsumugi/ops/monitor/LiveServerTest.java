package org.tsumugi.ops.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tsumugi.ops.monitor.SyntheticRun.metrics;
import static org.tsumugi.ops.monitor.SyntheticRun.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tsumugi.actors.RunControl;
import org.tsumugi.actors.RunControl.Request;
import org.tsumugi.actors.RunEvent;

class LiveServerTest {

  private static final Duration LIMIT = Duration.ofSeconds(10);

  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final RunControl control = requests::add;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(LIMIT).build();
  private final List<RunEvent> history = List.of(
      SyntheticRun.started(100, List.of("unet")),
      SyntheticRun.attached(ProcessHandle.current().pid(), 0, 100));
  private LiveServer server;

  @BeforeEach
  void start() throws IOException {
    server = LiveServer.startOnLoopback(0, control, history);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void bindsAnEphemeralPortOnLoopback() {
    assertTrue(server.port() > 0);
    assertEquals("http://127.0.0.1:" + server.port() + "/", server.uri().toString());
  }

  @Test
  void streamsTheHistoryThenLiveEvents() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (BufferedReader stream = openStream(null)) {
        assertEquals(history.get(0), nextEvent(stream, "1"));
        assertEquals(history.get(1), nextEvent(stream, "2"));

        RunEvent live = steps(2_000, metrics(1, 1, 1), metrics(2, 1, 1));
        server.accept(live);
        assertEquals(live, nextEvent(stream, "3"));
      }
    });
  }

  @Test
  void resumesAfterTheLastEventIdItWasGiven() {
    assertTimeoutPreemptively(LIMIT, () -> {
      try (BufferedReader stream = openStream("1")) {
        assertEquals(history.get(1), nextEvent(stream, "2"));
      }
    });
  }

  @Test
  void controlPostsReachTheRunControl() throws Exception {
    for (String name : List.of("pause", "resume", "save", "stop")) {
      HttpResponse<String> response = post("/control/" + name, null);
      assertEquals(202, response.statusCode(), response.body());
    }
    assertEquals(List.of(Request.PAUSE, Request.RESUME, Request.SAVE_NOW, Request.STOP_AFTER_NEXT_SAVE), requests);
    assertEquals("{\"requested\":\"PAUSE\"}", post("/control/pause", null).body());
  }

  @Test
  void refusesUnknownControlsAndControlsThatAreNotPosted() throws Exception {
    HttpResponse<String> unknown = post("/control/halt", null);
    assertEquals(404, unknown.statusCode());
    assertEquals("unknown control [halt]. Select one of [pause, resume, save, stop]", unknown.body());
    HttpResponse<String> get = client.send(request("/control/stop").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
    assertEquals(List.of(), requests);
  }

  @Test
  void refusesAControlPostedByAPageFromAnotherSite() throws Exception {
    HttpResponse<String> response = post("/control/stop", "http://evil.example");
    assertEquals(403, response.statusCode());
    assertEquals(List.of(), requests);
    assertEquals(202, post("/control/stop", "http://127.0.0.1:" + server.port()).statusCode());
  }

  @Test
  void servesTheSelfContainedPage() throws Exception {
    HttpResponse<String> page = client.send(request("/").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("new EventSource(\"/events\")"));
    assertTrue(page.body().contains("<canvas"));
    assertTrue(!page.body().contains("http://") && !page.body().contains("https://"), "nothing from the internet");
    assertEquals(404, client.send(request("/nothing").GET().build(), HttpResponse.BodyHandlers.ofString())
        .statusCode());
  }

  @Test
  void statusTellsWhereTheRunStands() throws Exception {
    server.accept(steps(10_100, metrics(10, 1, 1)));
    HttpResponse<String> response = client.send(request("/status").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode status = new ObjectMapper().readTree(response.body());
    assertEquals("tiny-lora", status.get("runName").asText());
    assertEquals("running", status.get("state").asText());
    assertEquals(10, status.get("step").asLong());
    assertEquals(100, status.get("maxSteps").asLong());
    assertEquals(0.1, status.get("lastStep").get("loss").asDouble(), 1e-6);
    assertEquals(1.0, status.get("stepsPerSecond").asDouble(), 1e-9); // 10 steps in the 10 s since attaching
    assertEquals(90, status.get("secondsLeft").asLong());
    assertEquals(3, status.get("events").asInt());
  }

  private BufferedReader openStream(String lastEventId) throws IOException, InterruptedException {
    HttpRequest.Builder builder = request("/events").GET();
    if (lastEventId != null) {
      builder.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
    return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
  }

  /** Reads up to the next blank line that ends an event with data; checks its id. */
  private static RunEvent nextEvent(BufferedReader stream, String expectedId) throws IOException {
    List<String> fields = new ArrayList<>();
    for (String line = stream.readLine(); line != null; line = stream.readLine()) {
      if (!line.isEmpty()) {
        fields.add(line);
      } else if (fields.stream().anyMatch(f -> f.startsWith("data: "))) {
        break;
      } else {
        fields.clear();
      }
    }
    assertEquals("id: " + expectedId, fields.get(0));
    return RunEventJson.read(fields.get(1).substring("data: ".length()));
  }

  private HttpResponse<String> post(String path, String origin) throws IOException, InterruptedException {
    HttpRequest.Builder builder = request(path).POST(HttpRequest.BodyPublishers.noBody());
    if (origin != null) {
      builder.header("Origin", origin);
    }
    return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(LIMIT);
  }
}
