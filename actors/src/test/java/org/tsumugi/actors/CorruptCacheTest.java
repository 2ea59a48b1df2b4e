package org.tsumugi.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tsumugi.actors.run.RunDirectory;
import org.tsumugi.actors.run.RunLock;
import org.tsumugi.actors.run.RunSpec;
import org.tsumugi.actors.run.RunSpecs;
import org.tsumugi.config.ConfigLoader;
import org.tsumugi.config.TsumugiConfig;
import org.tsumugi.engine.data.CacheFileException;

/**
 * A damaged cache file of the dataset is named: before training when the run starts with it (every cache's header is
 * checked then), and as the run's failure when it is damaged after the start.
 */
class CorruptCacheTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"_wan.safetensors", "_wan_te.safetensors"})
  void aTruncatedCacheFileIsRefusedByNameBeforeTraining(String kind) throws Exception {
    Path runFile = TinyRun.prepare(dir, "max_train_steps = 3");
    Path damaged = cacheFile(kind, 3);
    long size = Files.size(damaged);
    try (RandomAccessFile file = new RandomAccessFile(damaged.toFile(), "rw")) {
      file.setLength(size - 1);
    }
    assertRefusedNaming(runFile, damaged, "out of range: the data section holds " + (size - 1 - headerEnd(damaged)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"_wan.safetensors", "_wan_te.safetensors"})
  void aCacheFileWithAGarbledHeaderIsRefusedByNameBeforeTraining(String kind) throws Exception {
    Path runFile = TinyRun.prepare(dir, "max_train_steps = 3");
    Path damaged = cacheFile(kind, 2);
    byte[] bytes = Files.readAllBytes(damaged);
    int quote = new String(bytes, 8, 64, StandardCharsets.ISO_8859_1).indexOf('"') + 8;
    bytes[quote] = '}'; // the header's first key loses its opening quote
    Files.write(damaged, bytes);
    assertRefusedNaming(runFile, damaged, "invalid JSON header");
  }

  @Test
  void aCacheFileDamagedAfterTheStartFailsTheRunNamingIt() throws Exception {
    Path runFile = TinyRun.prepare(dir, "max_train_steps = 3");
    TsumugiConfig config = ConfigLoader.load(runFile);
    RunDirectory run = new RunDirectory(config.save().outputDir());
    Path damaged = cacheFile("_wan.safetensors", 4);
    RunOutcome outcome;
    try (RunLock lock = RunLock.acquire(run)) {
      RunSpec spec = RunSpecs.start(config, runFile, List.of(), TinyRun.STARTED_AT, TinyRun.SOURCES);
      Files.write(damaged, new byte[0]); // emptied between the start's checks and the batch that reads it
      outcome = RunLauncher.run(spec, control -> List.of());
    }
    RunOutcome.Failed failed = assertInstanceOf(RunOutcome.Failed.class, outcome);
    assertTrue(failed.reason().matches("cannot read batch \\d of epoch 1: " + java.util.regex.Pattern.quote(
        damaged.toString()) + ": .+"), failed.reason());
    assertTrue(failed.step() < 3, "failed at step " + failed.step());
    assertEquals(failed.reason(), assertInstanceOf(RunEvent.RunFailed.class,
        last(LedgerReplay.events(run, "tiny"))).reason());
  }

  private void assertRefusedNaming(Path runFile, Path damaged, String fault) throws IOException {
    TsumugiConfig config = ConfigLoader.load(runFile);
    RunDirectory run = new RunDirectory(config.save().outputDir());
    CacheFileException refused;
    try (RunLock lock = RunLock.acquire(run)) {
      refused = assertThrows(CacheFileException.class,
          () -> RunSpecs.start(config, runFile, List.of(), TinyRun.STARTED_AT, TinyRun.SOURCES));
    }
    assertEquals(damaged, refused.file());
    assertTrue(refused.getMessage().startsWith(damaged + ": "), refused.getMessage());
    assertTrue(refused.getMessage().contains(fault), refused.getMessage());
    assertTrue(Files.notExists(run.journal()), "no ledger was opened");
    assertEquals(0, SavedFiles.names(run).size(), "nothing was saved");
  }

  /** The {@code index}-th (in name order) cache file of the tiny dataset whose name ends with {@code suffix}. */
  private Path cacheFile(String suffix, int index) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("data").resolve("cache"))) {
      List<Path> matching = files.filter(p -> p.getFileName().toString().endsWith(suffix)
          && (suffix.endsWith("_te.safetensors") || !p.getFileName().toString().endsWith("_te.safetensors")))
          .sorted().toList();
      assertEquals(6, matching.size(), "cache files " + matching);
      return matching.get(index);
    }
  }

  /** Where a safetensors file's data section begins: after the 8-byte little-endian header length and the header. */
  private static long headerEnd(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      return 8 + Long.reverseBytes(f.readLong());
    }
  }

  private static RunEvent last(List<RunEvent> events) {
    return events.get(events.size() - 1);
  }
}
