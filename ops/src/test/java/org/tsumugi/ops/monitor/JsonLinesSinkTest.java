package org.tsumugi.ops.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tsumugi.ops.monitor.SyntheticRun.T0;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.actors.RunEvent.StepMetrics;
import org.tsumugi.actors.RunEvent.StepsCompleted;

class JsonLinesSinkTest {

  @TempDir Path runDir;

  @Test
  void roundTripsEveryEventType() throws IOException {
    List<RunEvent> events = new ArrayList<>(SyntheticRun.finishedRun(4242));
    events.add(SyntheticRun.failed(6_000, 4, "loss is NaN at step 4"));
    events.add(new StepsCompleted(T0, List.of(new StepMetrics(5, 3, Float.NaN, Float.POSITIVE_INFINITY,
        List.of(1e-4, 3e-5), Double.NaN, 0.25))));
    Path file = new RunFiles(runDir).events();
    try (JsonLinesSink sink = JsonLinesSink.open(file)) {
      events.forEach(sink::accept);
    }

    assertEquals(events, RunEventLog.readAll(file));
    Set<String> types = events.stream().map(e -> e.getClass().getSimpleName()).collect(Collectors.toSet());
    Set<String> all = Arrays.stream(RunEvent.class.getPermittedSubclasses()).map(Class::getSimpleName)
        .collect(Collectors.toSet());
    assertEquals(all, types, "the fixture covers every event type");
  }

  @Test
  void writesOneJsonObjectPerLineNamedByItsType() throws IOException {
    Path file = new RunFiles(runDir).events();
    try (JsonLinesSink sink = JsonLinesSink.open(file)) {
      SyntheticRun.finishedRun(4242).forEach(sink::accept);
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(13, lines.size());
    JsonNode steps = new ObjectMapper().readTree(lines.get(2));
    assertEquals("StepsCompleted", steps.get("type").asText());
    assertEquals(T0 + 1_100, steps.get("atMillis").asLong());
    assertEquals(2, steps.get("steps").get(1).get("step").asLong());
    assertEquals(0.5, steps.get("steps").get(1).get("loss").asDouble(), 0.0);
    assertEquals("RunFinished", new ObjectMapper().readTree(lines.get(12)).get("type").asText());
  }

  @Test
  void appendsToTheLogOfAnEarlierProcess() throws IOException {
    Path file = new RunFiles(runDir).events();
    List<RunEvent> events = SyntheticRun.finishedRun(4242);
    try (JsonLinesSink sink = JsonLinesSink.open(file)) {
      events.subList(0, 5).forEach(sink::accept);
    }
    try (JsonLinesSink sink = JsonLinesSink.open(file)) {
      events.subList(5, events.size()).forEach(sink::accept);
    }
    assertEquals(events, RunEventLog.readAll(file));
  }

  @Test
  void dropsALineAKilledProcessLeftUnfinished() throws IOException {
    Path file = new RunFiles(runDir).events();
    List<RunEvent> events = SyntheticRun.finishedRun(4242);
    Files.writeString(file, RunEventJson.write(events.get(0)) + "\n{\"type\":\"StepsComp");
    try (JsonLinesSink sink = JsonLinesSink.open(file)) {
      sink.accept(events.get(1));
    }
    assertEquals(events.subList(0, 2), RunEventLog.readAll(file));
  }

  @Test
  void tailReturnsOnlyCompletedLines() throws IOException {
    Path file = new RunFiles(runDir).events();
    RunEventLog.Tail tail = new RunEventLog.Tail(file);
    assertEquals(List.of(), tail.poll(), "no log yet");

    List<RunEvent> events = SyntheticRun.finishedRun(4242);
    String second = RunEventJson.write(events.get(1));
    Files.writeString(file, RunEventJson.write(events.get(0)) + "\n" + second.substring(0, 10));
    assertEquals(events.subList(0, 1), tail.poll());

    Files.writeString(file, second.substring(10) + "\n", StandardOpenOption.APPEND);
    assertEquals(events.subList(1, 2), tail.poll());
    assertEquals(List.of(), tail.poll());
  }

  @Test
  void namesTheFileAndLineOfAnEventItCannotRead() throws IOException {
    Path file = new RunFiles(runDir).events();
    String good = RunEventJson.write(SyntheticRun.finishedRun(4242).get(0));
    Files.write(file, (good + "\n\n" + "{\"type\":\"StepsDone\",\"atMillis\":1}\n").getBytes(StandardCharsets.UTF_8));

    RunLogCorruptException e = assertThrows(RunLogCorruptException.class, () -> RunEventLog.readAll(file));
    assertTrue(e.getMessage().startsWith(file + ":3: not a run event"), e.getMessage());
    assertTrue(e.getMessage().contains("StepsDone"), e.getMessage());
  }
}
