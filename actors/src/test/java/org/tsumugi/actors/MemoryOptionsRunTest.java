package org.tsumugi.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.engine.io.SafetensorsFile;
import org.tsumugi.engine.io.TensorInfo;

/**
 * A run with blocks_to_swap (streamed through the Trainer's Prefetcher) and gradient_checkpointing trains exactly the
 * LoRA tensors of the same run with every block resident and the whole graph kept.
 */
class MemoryOptionsRunTest {
  @TempDir Path dir;

  @Test
  void swappedAndCheckpointedRunWritesThePlainRunsLora() throws Exception {
    Path plain = run("plain");
    Path swapped = run("swapped", "blocks_to_swap = 1", "gradient_checkpointing = true");
    // the metadata differs (ss_gradient_checkpointing); every tensor must not
    try (SafetensorsFile expected = SafetensorsFile.open(plain.resolve("tiny.safetensors"));
        SafetensorsFile actual = SafetensorsFile.open(swapped.resolve("tiny.safetensors"))) {
      assertEquals(expected.tensors().size(), actual.tensors().size());
      for (TensorInfo t : expected.tensors()) {
        assertEquals(expected.rawBytes(t.name()), actual.rawBytes(t.name()), t.name());
      }
    }
  }

  private Path run(String name, String... memoryOptions) throws Exception {
    List<String> options = new java.util.ArrayList<>(List.of("max_train_epochs = 2"));
    options.addAll(List.of(memoryOptions));
    Path runFile = TinyRun.prepare(Files.createDirectories(dir.resolve(name)), options.toArray(String[]::new));
    assertInstanceOf(RunOutcome.Finished.class, TinyRun.start(runFile, control -> List.of()));
    return TinyRun.directory(runFile).outputDir();
  }
}
