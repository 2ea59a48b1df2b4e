package org.tsumugi.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.config.PostHocEmaConfig;
import org.tsumugi.engine.ema.EmaAccumulator;
import org.tsumugi.engine.ema.EmaSchedule;
import org.tsumugi.engine.ema.EmaState;

/**
 * The live EMA across the end of its actor system, an emulated crash between writing files and recording them, and
 * real SIGKILLs: it continues from what its journal records and ends byte-identical to the offline merge. Each test
 * starts its own systems on one ledger directory, since stopping them is the point.
 */
class EmaMergerRecoveryTest {
  static final PostHocEmaConfig BETA = new PostHocEmaConfig(true, 0.9, OptionalDouble.empty(), OptionalDouble.empty());

  @TempDir Path dir;

  private Path out() {
    return dir.resolve("out");
  }

  private Path ledger() {
    return dir.resolve("ledger");
  }

  private Path accumulators() {
    return out().resolve(EmaMerger.ACCUMULATOR_DIR);
  }

  private EmaMerger.Settings settings(PostHocEmaConfig config, int planned) {
    return new EmaMerger.Settings("run", out(), "lora", config, planned);
  }

  @Test
  void recoversFromItsJournalAndIgnoresCheckpointsItFoldedBefore() throws IOException {
    List<Path> files = LoraCheckpoints.write(out(), "lora", 5, LoraCheckpoints.Precision.BF16, 11);
    inSystem("first", run -> {
      run.folds(files.get(0), LoraCheckpoints.step(0), 1);
      run.folds(files.get(1), LoraCheckpoints.step(1), 2);
    });
    inSystem("second", run -> {
      assertEquals(2, run.status().checkpointsMerged());
      resend(run, files, 2);
      run.folds(files.get(2), LoraCheckpoints.step(2), 3);
    });
    inSystem("third", run -> {
      resend(run, files, 3);
      run.folds(files.get(3), LoraCheckpoints.step(3), 4);
      run.folds(files.get(4), LoraCheckpoints.step(4), 5);
      assertEquals(files.stream().map(Path::toString).toList(), run.status().checkpoints());
    });
    assertArrayEquals(offline(files, BETA), emaBytes());
    assertEquals(List.of("lora-ema-accumulator-000005.safetensors"), list(accumulators()),
        "superseded accumulators are removed");
  }

  @Test
  void crashBetweenWritingFilesAndRecordingThemChangesNothing() throws IOException {
    List<Path> files = LoraCheckpoints.write(out(), "lora", 5, LoraCheckpoints.Precision.MIXED, 12);
    inSystem("before-crash", run -> {
      run.folds(files.get(0), LoraCheckpoints.step(0), 1);
      run.folds(files.get(1), LoraCheckpoints.step(1), 2);
    });
    leaveWhatACrashInTheThirdFoldLeaves(files);

    inSystem("after-crash", run -> {
      EmaMerger.Status status = run.status();
      assertEquals(2, status.checkpointsMerged());
      assertEquals(List.of("lora-ema-accumulator-000002.safetensors"), list(accumulators()),
          "unrecorded accumulators and interrupted writes are swept on recovery");
      assertEquals(List.of(), list(out()).stream().filter(n -> n.endsWith(".tmp")).toList());
      for (int i = 0; i < files.size(); i++) {
        run.merger.tell(EmaRun.fold(files.get(i), LoraCheckpoints.step(i)));
      }
      assertEquals(5, run.status().checkpointsMerged());
    });
    assertArrayEquals(offline(files, BETA), emaBytes());
  }

  /**
   * A third accumulator written in full but not recorded (here deliberately wrong: folded from the fifth checkpoint,
   * so that trusting it would show), the EMA LoRA rewritten from it ahead of the journal, both files' interrupted
   * temporary writes, and the first accumulator whose removal the crash prevented.
   */
  private void leaveWhatACrashInTheThirdFoldLeaves(List<Path> files) throws IOException {
    EmaSchedule schedule = EmaSchedule.constant(BETA.beta());
    Path recorded = accumulators().resolve("lora-ema-accumulator-000002.safetensors");
    EmaState wrong = EmaAccumulator.fold(EmaState.of(recorded, 2), files.get(4), schedule,
        accumulators().resolve("lora-ema-accumulator-000003.safetensors"));
    EmaAccumulator.finish(wrong, schedule, files.get(4), out().resolve("lora-ema.safetensors"));
    byte[] half = Arrays.copyOf(Files.readAllBytes(recorded), (int) Files.size(recorded) / 2);
    Files.write(accumulators().resolve(".lora-ema-accumulator-000003.safetensors.1f2e3d4c5b6a7988.tmp"), half);
    Files.write(out().resolve(".lora-ema.safetensors.0a1b2c3d4e5f6071.tmp"), half);
    Files.copy(recorded, accumulators().resolve("lora-ema-accumulator-000001.safetensors"));
  }

  @Test
  void killedWithSigkillWhileFoldingEndsIdenticalToTheOfflineMerge() throws Exception {
    List<Path> files = LoraCheckpoints.write(out(), "lora", 6, LoraCheckpoints.Precision.BF16, 13);
    killWhenFolded(files, 2, 12);
    killWhenFolded(files, 4, 19);

    inSystem("after-kills", EmaProcess.settings(out(), files.size()), run -> {
      for (int i = 0; i < files.size(); i++) {
        run.merger.tell(EmaRun.fold(files.get(i), LoraCheckpoints.step(i)));
      }
      assertEquals(files.stream().map(Path::toString).toList(), run.status().checkpoints());
    });
    assertArrayEquals(offline(files, EmaProcess.CONFIG), emaBytes());
    assertEquals(List.of("lora-ema-accumulator-000006.safetensors"), list(accumulators()));
  }

  /** Runs {@link EmaProcess} until it has folded {@code atLeast} checkpoints (or finished), then SIGKILLs it. */
  private void killWhenFolded(List<Path> files, int atLeast, long delayMillis) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), EmaProcess.class.getName(), ledger().toString(),
        out().toString()));
    files.forEach(f -> command.add(f.toString()));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8));
      String line;
      while ((line = lines.readLine()) != null && !line.equals("done")
          && !(line.startsWith("folded ") && Integer.parseInt(line.substring(7)) >= atLeast)) {
        // the folds before the one to interrupt
      }
      assertTrue(line != null, "the EMA process ended before folding " + atLeast + " checkpoints");
      Thread.sleep(delayMillis);
    } finally {
      process.destroyForcibly(); // SIGKILL: mid-fold, mid-write or mid-persist, whatever it was doing
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the EMA process did not die");
    }
  }

  private interface InRun {
    void accept(EmaRun run) throws IOException;
  }

  private void inSystem(String name, InRun body) throws IOException {
    inSystem(name, settings(BETA, 5), body);
  }

  private void inSystem(String name, EmaMerger.Settings settings, InRun body) throws IOException {
    ActorTestKit kit = EmaRun.system(name, ledger());
    try {
      body.accept(new EmaRun(kit, settings));
    } finally {
      kit.shutdownTestKit();
    }
  }

  /** Sends the first {@code count} folds again and checks that none is folded twice. */
  private static void resend(EmaRun run, List<Path> files, int count) throws IOException {
    for (int i = 0; i < count; i++) {
      run.merger.tell(EmaRun.fold(files.get(i), LoraCheckpoints.step(i)));
    }
    assertEquals(count, run.status().checkpointsMerged());
    run.reports.expectNoMessage(Duration.ofMillis(50));
  }

  private byte[] offline(List<Path> files, PostHocEmaConfig config) throws IOException {
    return EmaMergerTest.offline(files, config, dir.resolve("offline.safetensors"));
  }

  private byte[] emaBytes() throws IOException {
    return Files.readAllBytes(out().resolve("lora-ema.safetensors"));
  }

  private static List<String> list(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
