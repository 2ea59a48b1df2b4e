package org.tsumugi.persistence.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  /** SHA-256 of "abc", FIPS 180-2 appendix B.1. */
  private static final String SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @TempDir Path dir;

  private List<Path> everyFile() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private StoredFile writeAbc(CheckpointStore store, String name) {
    return store.write(name, out -> out.write("abc".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void recordsTheSizeAndSha256OfWhatWasWritten() {
    CheckpointStore store = new CheckpointStore(dir);

    StoredFile stored = writeAbc(store, "checkpoints/step-000100.safetensors");

    assertEquals(dir.resolve("checkpoints/step-000100.safetensors"), stored.path());
    assertEquals(3L, stored.size());
    assertEquals(SHA256_ABC, stored.sha256());
    assertEquals(stored, store.verify(stored));
  }

  @Test
  void openVerifiedReadsTheContentFromTheStart() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    StoredFile stored = writeAbc(store, "state.bin");

    try (InputStream in = store.openVerified(stored)) {
      assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), in.readAllBytes());
    }
  }

  @Test
  void refusesAFileWithOneFlippedByte() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    StoredFile stored = writeAbc(store, "state.bin");
    try (RandomAccessFile file = new RandomAccessFile(stored.path().toFile(), "rw")) {
      file.seek(1);
      file.write('b' ^ 0x01);
    }

    CheckpointVerificationException e = assertThrows(CheckpointVerificationException.class,
        () -> store.openVerified(stored));
    assertEquals(stored.path(), e.path());
    assertTrue(e.getMessage().contains(stored.path().toString()) && e.getMessage().contains("sha256"),
        e.getMessage());
    assertThrows(CheckpointVerificationException.class, () -> store.verify(stored));
  }

  @Test
  void refusesATruncatedFile() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    StoredFile stored = writeAbc(store, "state.bin");
    try (RandomAccessFile file = new RandomAccessFile(stored.path().toFile(), "rw")) {
      file.setLength(2);
    }

    CheckpointVerificationException e = assertThrows(CheckpointVerificationException.class,
        () -> store.verify(stored));
    assertTrue(e.getMessage().contains("size is 2 bytes but 3"), e.getMessage());
  }

  @Test
  void refusesAMissingFile() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    StoredFile stored = writeAbc(store, "state.bin");
    Files.delete(stored.path());

    CheckpointVerificationException e = assertThrows(CheckpointVerificationException.class,
        () -> store.openVerified(stored));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void neverOverwritesACheckpoint() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    StoredFile first = writeAbc(store, "state.bin");

    assertThrows(CheckpointWriteException.class,
        () -> store.write("state.bin", out -> out.write("other".getBytes(StandardCharsets.US_ASCII))));
    assertEquals(first, store.verify(first));
  }

  @Test
  void refusesANameADirectoryHoldsSayingSo() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    Path occupied = Files.createDirectories(dir.resolve("step-000200.safetensors"));
    Files.writeString(occupied.resolve("notes.txt"), "kept");

    CheckpointWriteException e = assertThrows(CheckpointWriteException.class,
        () -> writeAbc(store, "step-000200.safetensors"));

    assertEquals(occupied, e.path());
    assertTrue(e.getMessage().contains("a directory of that name is in the way"), e.getMessage());
    assertEquals(List.of(occupied.resolve("notes.txt")), everyFile());
  }

  @Test
  void refusesANameOutsideItsDirectory() {
    CheckpointStore store = new CheckpointStore(dir.resolve("run"));

    assertThrows(CheckpointWriteException.class, () -> writeAbc(store, "../escape.bin"));
    assertFalse(Files.exists(dir.resolve("escape.bin")));
  }

  @Test
  void writerThrowingMidwayLeavesNoFile() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    writeAbc(store, "kept.bin");
    List<Path> before = everyFile();

    CheckpointWriteException e = assertThrows(CheckpointWriteException.class, () ->
        store.write("broken.bin", out -> {
          out.write(new byte[70_000]);
          throw new IllegalStateException("tensor export failed");
        }));

    assertEquals(dir.resolve("broken.bin"), e.path());
    assertTrue(e.reason().contains("tensor export failed"), e.reason());
    assertEquals(before, everyFile());
  }

  @Test
  void aFailedWriteRemovesTheDirectoriesItCreated() throws IOException {
    CheckpointStore store = new CheckpointStore(dir);
    writeAbc(store, "kept/first.bin");

    assertThrows(CheckpointWriteException.class, () -> store.write("run-state/inner/state.bin", out -> {
      out.write(new byte[1000]);
      throw new IOException("No space left on device");
    }));
    assertThrows(CheckpointWriteException.class, () -> store.write("kept/second.bin", out -> {
      throw new IOException("No space left on device");
    }));

    assertFalse(Files.exists(dir.resolve("run-state")), "a directory made for the failed write");
    assertEquals(List.of(dir.resolve("kept/first.bin")), everyFile());
  }

  @Test
  void unwritableDirectorySurfacesAsTypedErrorAndLeavesNothing() throws IOException {
    Path unwritable = Unwritable.directory(dir);
    CheckpointStore store = new CheckpointStore(unwritable);
    List<Path> before = everyFile();

    CheckpointWriteException e = assertThrows(CheckpointWriteException.class, () -> writeAbc(store, "state.bin"));

    assertEquals(unwritable.resolve("state.bin"), e.path());
    assertFalse(e.reason().isBlank());
    assertEquals(before, everyFile());
  }
}
