package org.tsumugi.persistence.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  @TempDir Path dir;

  private List<Path> listing() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  @Test
  void writesTheWholeContentUnderTheFinalNameAndNothingElse() throws IOException {
    Path target = dir.resolve("lora.safetensors");
    byte[] content = new byte[300_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }

    AtomicFile.write(target, out -> out.write(content));

    assertArrayEquals(content, Files.readAllBytes(target));
    assertEquals(List.of(target), listing());
  }

  @Test
  void halfWrittenContentIsNeverVisibleUnderTheFinalName() throws IOException {
    Path target = dir.resolve("state.bin");
    boolean[] visibleMidway = {true};

    AtomicFile.write(target, out -> {
      out.write("first half".getBytes(StandardCharsets.UTF_8));
      out.flush();
      visibleMidway[0] = Files.exists(target);
      out.write(", second half".getBytes(StandardCharsets.UTF_8));
    });

    assertFalse(visibleMidway[0], "the target appeared before the write completed");
    assertEquals("first half, second half", Files.readString(target));
  }

  @Test
  void replacesAnExistingFileWhole() throws IOException {
    Path target = Files.writeString(dir.resolve("ema.safetensors"), "old content that is longer");

    AtomicFile.write(target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));

    assertEquals("new", Files.readString(target));
    assertEquals(List.of(target), listing());
  }

  @Test
  void writerFailingMidwayLeavesTargetAndDirectoryUntouched() throws IOException {
    Path target = Files.writeString(dir.resolve("ema.safetensors"), "previous");
    Path other = Files.writeString(dir.resolve("other.bin"), "other");
    List<Path> before = listing();

    CheckpointWriteException e = assertThrows(CheckpointWriteException.class, () ->
        AtomicFile.write(target, out -> {
          out.write(new byte[100_000]);
          throw new IOException("No space left on device");
        }));

    assertEquals(target, e.path());
    assertTrue(e.reason().contains("No space left on device"), e.reason());
    assertEquals(before, listing(), "the temporary file must be gone");
    assertEquals("previous", Files.readString(target));
    assertEquals("other", Files.readString(other));
  }

  @Test
  void unwritableDirectoryIsATypedErrorNamingPathAndReason() throws IOException {
    Path unwritable = Unwritable.directory(dir);
    Path target = unwritable.resolve("lora.safetensors");
    List<Path> before = listing();

    CheckpointWriteException e = assertThrows(CheckpointWriteException.class,
        () -> AtomicFile.write(target, out -> out.write(1)));

    assertEquals(target, e.path());
    assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
    assertTrue(e.reason().contains("Permission denied") || e.reason().contains("Not a directory"), e.reason());
    assertEquals(before, listing());
  }
}
