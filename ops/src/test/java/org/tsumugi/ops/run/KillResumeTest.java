package org.tsumugi.ops.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.ops.monitor.RunEventLog;

/**
 * The embedded default run, killed with SIGKILL at random moments (during steps, and while a save is being written)
 * and resumed each time, ends with the same LoRA files, byte for byte, as the same run uninterrupted; its live
 * post-hoc EMA (beta to beta2 over the planned checkpoints) equals {@code tsumugi ema} run afterwards on the
 * checkpoints.
 */
class KillResumeTest {
  private static final long STARTED_AT = 1_767_225_600_000L;
  private static final String[] OPTIONS = {"--max_train_epochs", "4", "--save_every_n_steps", "3",
      "--save_every_n_epochs", "100", "--post_hoc_ema.enabled", "true", "--post_hoc_ema.beta", "0.9",
      "--post_hoc_ema.beta2", "0.99"};
  private static final int STEPS = 24; // 12 items in batches of 2, 4 epochs

  @TempDir Path dir;

  @Test
  void killedAndResumedRunWritesTheUninterruptedRunsLoraFiles() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String context = "random seed " + seed;

    Path straight = Files.createDirectories(dir.resolve("straight"));
    assertEquals(0, train(straight).waitFor(), context + "; log:\n" + log(straight));
    Path straightRun = onlyRun(straight);

    Path killed = Files.createDirectories(dir.resolve("killed"));
    List<String> kills = new ArrayList<>();
    Process process = train(killed);
    Path run = null;
    for (int round = 0; round < 3; round++) {
      boolean duringSave = round == 1;
      int afterSteps = 1 + random.nextInt(STEPS - 4);
      run = awaitRun(killed, process);
      String moment = killWhen(process, run, duringSave, afterSteps, random);
      if (moment == null) {
        break; // the run ended before the moment came
      }
      kills.add(moment);
      process = TsumugiProcess.start(killed, killed.resolve("log.txt"), "resume", run.toString());
    }
    assertEquals(0, process.waitFor(), context + ", kills " + kills + "; log:\n" + log(killed));
    assertTrue(kills.size() >= 2, "the run was killed only " + kills + " (" + context + ")");
    System.out.println("KillResumeTest: " + context + ", killed " + kills);

    List<String> expected = loraFiles(straightRun);
    assertEquals(expected, loraFiles(run), context + ", kills " + kills);
    for (String name : expected) {
      assertArrayEquals(Files.readAllBytes(straightRun.resolve(name)), Files.readAllBytes(run.resolve(name)),
          name + " differs after kills " + kills + " (" + context + ")");
    }

    List<String> checkpoints = expected.stream().filter(n -> n.contains("-step")).toList();
    assertEquals(8, checkpoints.size(), "checkpoints " + expected);
    List<String> merge = new ArrayList<>();
    merge.add("ema");
    for (String name : checkpoints) {
      merge.add(run.resolve(name).toString());
    }
    Path offline = dir.resolve("offline-ema.safetensors");
    merge.addAll(List.of("--output_file", offline.toString(), "--beta", "0.9", "--beta2", "0.99", "--no_sort"));
    assertEquals(0, TsumugiProcess.start(dir, dir.resolve("ema-log.txt"), merge.toArray(String[]::new)).waitFor(),
        Files.readString(dir.resolve("ema-log.txt")));
    assertArrayEquals(Files.readAllBytes(offline), Files.readAllBytes(run.resolve("tsumugi-default-ema.safetensors")),
        "the live EMA differs from tsumugi ema after kills " + kills + " (" + context + ")");
  }

  private static Process train(Path workDir) throws IOException {
    List<String> args = new ArrayList<>(List.of("train", "--started-at", Long.toString(STARTED_AT)));
    args.addAll(List.of(OPTIONS));
    return TsumugiProcess.start(workDir, workDir.resolve("log.txt"), args.toArray(String[]::new));
  }

  /**
   * Kills the process after {@code afterSteps} recorded steps plus a random delay, or (duringSave) as soon as a save's
   * temporary file appears after that; null if the process ended first.
   */
  private static String killWhen(Process process, Path run, boolean duringSave, int afterSteps, Random random)
      throws IOException, InterruptedException {
    RunEventLog.Tail events = new RunEventLog.Tail(run.resolve(".tsumugi").resolve("events.jsonl"));
    long steps = 0;
    while (steps < afterSteps) {
      if (!process.isAlive()) {
        return null;
      }
      steps = Math.max(steps, lastStep(events.poll()));
      Thread.sleep(20);
    }
    if (duringSave) {
      while (process.isAlive()) {
        if (savingNow(run)) {
          process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          return "during a save after step " + steps;
        }
      }
      return null;
    }
    Thread.sleep(random.nextInt(400));
    if (!process.isAlive()) {
      return null;
    }
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    return "after step " + steps;
  }

  private static boolean savingNow(Path run) throws IOException {
    try (Stream<Path> files = Files.walk(run, 2)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp"));
    } catch (java.io.UncheckedIOException e) {
      return false; // a file vanished while listed: its save just ended
    }
  }

  private static long lastStep(List<RunEvent> events) {
    long last = 0;
    for (RunEvent e : events) {
      if (e instanceof RunEvent.StepsCompleted s && !s.steps().isEmpty()) {
        last = s.steps().get(s.steps().size() - 1).step();
      }
    }
    return last;
  }

  private static Path awaitRun(Path workDir, Process process) throws IOException, InterruptedException {
    Path runs = workDir.resolve("tsumugi-default").resolve("runs");
    for (int i = 0; i < 6000; i++) {
      if (Files.isDirectory(runs)) {
        try (Stream<Path> list = Files.list(runs)) {
          List<Path> found = list.filter(p -> Files.exists(p.resolve(".tsumugi/launch/launch.json"))).toList();
          if (found.size() == 1) {
            return found.get(0);
          }
        }
      }
      assertTrue(process.isAlive() || i == 0, "tsumugi ended before its run started; log:\n" + log(workDir));
      Thread.sleep(20);
    }
    throw new AssertionError("no run appeared in " + runs);
  }

  private static Path onlyRun(Path workDir) throws IOException {
    try (Stream<Path> list = Files.list(workDir.resolve("tsumugi-default").resolve("runs"))) {
      List<Path> runs = list.toList();
      assertEquals(1, runs.size(), "runs: " + runs);
      return runs.get(0);
    }
  }

  private static List<String> loraFiles(Path run) throws IOException {
    try (Stream<Path> list = Files.list(run)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".safetensors")).sorted().toList();
    }
  }

  private static String log(Path workDir) throws IOException {
    Path log = workDir.resolve("log.txt");
    return Files.exists(log) ? Files.readString(log) : "(no log)";
  }
}
