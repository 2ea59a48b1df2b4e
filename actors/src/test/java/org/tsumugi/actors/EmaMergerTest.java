package org.tsumugi.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.config.PostHocEmaConfig;
import org.tsumugi.engine.ema.PostHocEmaMerge;
import org.tsumugi.engine.ema.PostHocEmaSettings;
import org.tsumugi.engine.io.SafetensorsFile;

/**
 * The live EMA folds checkpoints one message at a time into the same bytes as the offline merge of the same files, and
 * reports what it cannot fold without touching the EMA it has.
 */
class EmaMergerTest {
  @TempDir static Path ledger;
  static ActorTestKit kit;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    kit = EmaRun.system("ema-merger-test", ledger);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static PostHocEmaConfig config(double beta, OptionalDouble beta2, OptionalDouble sigmaRel) {
    return new PostHocEmaConfig(true, beta, beta2, sigmaRel);
  }

  static EmaMerger.Settings settings(String run, Path outputDir, PostHocEmaConfig config, int planned) {
    return new EmaMerger.Settings(run, outputDir, "lora", config, planned);
  }

  /** The offline merge ({@code tsumugi ema --no_sort}) of {@code files} with the live EMA's options. */
  static byte[] offline(List<Path> files, PostHocEmaConfig c, Path output) throws IOException {
    PostHocEmaMerge.merge(files, new PostHocEmaSettings(c.beta(), c.beta2(), c.sigmaRel(), true), output);
    return Files.readAllBytes(output);
  }

  @Test
  void constantBetaMatchesTheOfflineMergeAfterEveryFold() throws IOException {
    List<Path> files = LoraCheckpoints.write(dir, "lora", 5, LoraCheckpoints.Precision.BF16, 1);
    PostHocEmaConfig config = config(0.9, OptionalDouble.empty(), OptionalDouble.empty());
    EmaRun run = new EmaRun(kit, settings("beta", dir, config, 5));
    Path ema = dir.resolve("lora-ema.safetensors");

    RunEvent.EmaUpdated first = run.folds(files.get(0), LoraCheckpoints.step(0), 1);
    assertEquals(ema.toString(), first.path());
    assertSameTensors(files.get(0), ema);
    for (int i = 1; i < files.size(); i++) {
      RunEvent.EmaUpdated event = run.folds(files.get(i), LoraCheckpoints.step(i), i + 1);
      byte[] expected = offline(files.subList(0, i + 1), config, dir.resolve("offline-" + i + ".safetensors"));
      assertArrayEquals(expected, Files.readAllBytes(ema), "after " + (i + 1) + " checkpoints");
      assertEquals(Files.size(ema), event.size());
      assertEquals(LoraCheckpoints.sha256(ema), event.sha256());
      Path accumulator = dir.resolve(EmaMerger.ACCUMULATOR_DIR).resolve(event.accumulator());
      assertEquals(LoraCheckpoints.sha256(accumulator), event.accumulatorSha256());
    }
    EmaMerger.Status status = run.status();
    assertEquals(files.stream().map(Path::toString).toList(), status.checkpoints());
    assertEquals(LoraCheckpoints.step(4), status.lastStep());
  }

  @Test
  void betaToBeta2OverThePlannedCheckpointsMatchesTheOfflineMerge() throws IOException {
    List<Path> files = LoraCheckpoints.write(dir, "lora", 5, LoraCheckpoints.Precision.MIXED, 2);
    PostHocEmaConfig config = config(0.8, OptionalDouble.of(0.95), OptionalDouble.empty());
    EmaRun run = new EmaRun(kit, settings("beta2", dir, config, files.size()));

    for (int i = 0; i < files.size(); i++) {
      run.folds(files.get(i), LoraCheckpoints.step(i), i + 1);
    }
    assertArrayEquals(offline(files, config, dir.resolve("offline.safetensors")),
        Files.readAllBytes(dir.resolve("lora-ema.safetensors")));
  }

  @Test
  void sigmaRelMatchesTheOfflineMerge() throws IOException {
    List<Path> files = LoraCheckpoints.write(dir, "lora", 5, LoraCheckpoints.Precision.F32, 3);
    PostHocEmaConfig config = config(0.95, OptionalDouble.empty(), OptionalDouble.of(0.2));
    EmaRun run = new EmaRun(kit, settings("sigma", dir, config, 3));

    for (int i = 0; i < files.size(); i++) {
      run.folds(files.get(i), LoraCheckpoints.step(i), i + 1);
    }
    assertArrayEquals(offline(files, config, dir.resolve("offline.safetensors")),
        Files.readAllBytes(dir.resolve("lora-ema.safetensors")));
  }

  @Test
  void refusedCheckpointsAreReportedAndLeaveTheEmaAsItWas() throws IOException {
    List<Path> files = LoraCheckpoints.write(dir, "lora", 3, LoraCheckpoints.Precision.BF16, 4);
    PostHocEmaConfig config = config(0.9, OptionalDouble.empty(), OptionalDouble.empty());
    EmaRun run = new EmaRun(kit, settings("refusals", dir, config, 3));
    run.folds(files.get(0), LoraCheckpoints.step(0), 1);
    run.folds(files.get(1), LoraCheckpoints.step(1), 2);
    Path ema = dir.resolve("lora-ema.safetensors");
    byte[] before = Files.readAllBytes(ema);

    Path third = files.get(2);
    EmaMerger.Fold recorded = EmaRun.fold(third, LoraCheckpoints.step(2));
    byte[] original = Files.readAllBytes(third);
    byte[] corrupted = original.clone();
    corrupted[corrupted.length - 1] ^= 1;
    Files.write(third, corrupted);
    EmaMerger.Failed hash = run.fails(recorded);
    assertEquals(LoraCheckpoints.step(2), hash.step());
    assertEquals(third.toString(), hash.checkpoint());
    assertTrue(hash.reason().contains(third.toString()) && hash.reason().contains("sha256"), hash.reason());

    Path otherRank = dir.resolve("rank8.safetensors");
    LoraCheckpoints.write(otherRank, 25, 8, LoraCheckpoints.Precision.BF16, new SplittableRandom(5));
    EmaMerger.Failed shape = run.fails(EmaRun.fold(otherRank, 25));
    assertTrue(shape.reason().contains("\"lora_unet_blocks_0_ffn_0.lora_down.weight\" is [4, 8]")
        && shape.reason().contains("[8, 8] in " + otherRank), shape.reason());

    assertArrayEquals(before, Files.readAllBytes(ema), "the EMA LoRA is untouched");
    assertEquals(2, run.status().checkpointsMerged());

    Files.write(third, original);
    run.folds(third, LoraCheckpoints.step(2), 3);
    assertArrayEquals(offline(files, config, dir.resolve("offline.safetensors")), Files.readAllBytes(ema));
  }

  @Test
  void refusesAFoldBeyondThePlannedBetaSchedule() throws IOException {
    List<Path> files = LoraCheckpoints.write(dir, "lora", 3, LoraCheckpoints.Precision.F32, 6);
    PostHocEmaConfig config = config(0.8, OptionalDouble.of(0.95), OptionalDouble.empty());
    EmaRun run = new EmaRun(kit, settings("beyond", dir, config, 2));
    run.folds(files.get(0), LoraCheckpoints.step(0), 1);
    run.folds(files.get(1), LoraCheckpoints.step(1), 2);

    EmaMerger.Failed beyond = run.fails(EmaRun.fold(files.get(2), LoraCheckpoints.step(2)));
    assertTrue(beyond.reason().contains("beyond the 1 merges planned"), beyond.reason());
    assertArrayEquals(offline(files.subList(0, 2), config, dir.resolve("offline.safetensors")),
        Files.readAllBytes(dir.resolve("lora-ema.safetensors")));
  }

  /** Tensor for tensor the same bytes (the metadata differs: the EMA's hashes are recomputed). */
  private static void assertSameTensors(Path expected, Path actual) throws IOException {
    try (SafetensorsFile e = SafetensorsFile.open(expected); SafetensorsFile a = SafetensorsFile.open(actual)) {
      assertEquals(e.tensors().size(), a.tensors().size());
      e.tensors().forEach(t -> assertEquals(e.rawBytes(t.name()), a.rawBytes(t.name()), t.name()));
    }
  }
}
