package org.tsumugi.ops.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.actors.RunLauncher;
import org.tsumugi.actors.RunOutcome;
import org.tsumugi.actors.run.RunDirectory;
import org.tsumugi.actors.run.RunLock;
import org.tsumugi.actors.run.RunSpecs;
import org.tsumugi.actors.training.CacheBatches;
import org.tsumugi.ops.monitor.RunEventLog;

/**
 * Faults that only a separate {@code tsumugi} process meets: a run directory held by another process, and a disk that
 * fills up during a save.
 */
class FaultProcessTest {
  /** Larger than a LoRA checkpoint of the run below (about 100 KB), smaller than its training state (about 290 KB). */
  private static final long FILE_SIZE_LIMIT_KIB = 200;

  @TempDir Path dir;

  /** The processes read libtorch from DJL's cache; under a file size limit they could not unpack it there. */
  @BeforeAll
  static void unpackNativeLibrary() {
    Engine.getEngine("PyTorch");
  }

  @Test
  void aSecondProcessOnARunDirectoryIsRefusedNamingItAndTheHolder() throws Exception {
    Path runFile = TinyRunFile.write(dir);
    RunDirectory run = new RunDirectory(dir.resolve("out"));
    Path log = dir.resolve("log.txt");
    Process second;
    try (RunLock held = RunLock.acquire(run)) {
      second = TsumugiProcess.start(dir, log, "train", "--config", runFile.toString());
      assertTrue(second.waitFor(2, TimeUnit.MINUTES), "tsumugi did not end");
    }
    assertEquals(2, second.exitValue(), Files.readString(log));
    assertTrue(Files.readString(log).contains("tsumugi train: run directory " + run.outputDir() + " is in use by "
        + "another process (pid " + ProcessHandle.current().pid() + ")"), Files.readString(log));
    assertTrue(Files.notExists(run.launchFile()), "the held directory was not touched");
  }

  @Test
  void aFullDiskStopsTheRunWithTheFileAndReasonAndKeepsEveryEarlierSave() throws Exception {
    Path runFile = TinyRunFile.write(dir, "network_dim = 16", "max_train_steps = 6", "save_every_n_steps = 2",
        "save_state_on_train_end = true");
    RunDirectory run = new RunDirectory(dir.resolve("out"));
    Path state = run.resolve("tiny-state/state.safetensors");
    Path log = dir.resolve("log.txt");
    Process full = TsumugiProcess.startWithFileSizeLimit(dir, log, FILE_SIZE_LIMIT_KIB, "train", "--config",
        runFile.toString());
    assertTrue(full.waitFor(5, TimeUnit.MINUTES), "tsumugi did not end");
    String output = Files.readString(log);
    assertEquals(1, full.exitValue(), output);
    String reason = "cannot save " + state + ": IOException: File too large; every earlier checkpoint and state is"
        + " kept and no partial file was left";
    assertTrue(output.contains("failed at step 6: " + reason), output);

    List<RunEvent> events = RunEventLog.readAll(run.meta().resolve("events.jsonl"));
    RunEvent.RunFailed failed = assertInstanceOf(RunEvent.RunFailed.class, events.get(events.size() - 1));
    assertEquals(reason, failed.reason());
    Map<String, byte[]> saved = checkpoints(events);
    assertEquals(List.of(2L, 4L, 6L).stream().map(s -> String.format(Locale.ROOT, "tiny-step%08d.safetensors", s))
        .toList(), List.copyOf(saved.keySet()));
    assertEquals(List.copyOf(saved.keySet()), names(run), "nothing but the earlier checkpoints");
    assertEquals(List.of(), temporaryFiles(run));

    RunOutcome resumed; // with room on the disk again, the run continues; here in this JVM, which is warm already
    try (RunLock lock = RunLock.acquire(run)) {
      resumed = RunLauncher.run(RunSpecs.resume(run, CacheBatches::open), control -> List.of());
    }
    assertInstanceOf(RunOutcome.Finished.class, resumed);
    assertTrue(Files.size(state) > FILE_SIZE_LIMIT_KIB * 1024, "the state is larger than the limit it failed on");
    for (Map.Entry<String, byte[]> e : saved.entrySet()) {
      assertArrayEquals(e.getValue(), Files.readAllBytes(run.resolve(e.getKey())), e.getKey() + " changed");
    }
  }

  /** The recorded checkpoints by name, each read back and checked against its recorded size and sha256. */
  private static Map<String, byte[]> checkpoints(List<RunEvent> events) throws Exception {
    Map<String, byte[]> saved = new TreeMap<>();
    for (RunEvent e : events) {
      if (e instanceof RunEvent.CheckpointSaved c) {
        byte[] bytes = Files.readAllBytes(Path.of(c.path()));
        assertEquals(c.size(), bytes.length, c.path());
        assertEquals(c.sha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
            c.path());
        saved.put(Path.of(c.path()).getFileName().toString(), bytes);
      }
    }
    return saved;
  }

  private static List<String> names(RunDirectory run) throws IOException {
    try (Stream<Path> list = Files.list(run.outputDir())) {
      return list.map(p -> p.getFileName().toString()).filter(n -> !n.equals(RunDirectory.META)).sorted().toList();
    }
  }

  private static List<Path> temporaryFiles(RunDirectory run) throws IOException {
    try (Stream<Path> files = Files.walk(run.outputDir())) {
      return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }
}
