package org.tsumugi.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write either replaces the target completely or leaves it as it was, and never leaves a temporary file. */
class AtomicWriteTest {
  @TempDir Path dir;

  private List<Path> listing() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  /** A tensor whose bytes cannot be produced: the write fails part-way, after earlier tensors reached the disk. */
  private static TensorSource failing(String name) {
    return new TensorSource() {
      @Override public String name() {
        return name;
      }

      @Override public DType dtype() {
        return DType.F32;
      }

      @Override public long[] shape() {
        return new long[] {1};
      }

      @Override public ByteBuffer data() throws IOException {
        throw new IOException("disk went away while producing " + name);
      }
    };
  }

  @Test
  void writeLeavesOnlyTheTarget() throws IOException {
    Path target = dir.resolve("lora.safetensors");
    SafetensorsWriter.write(target, Map.of("k", "v"),
        List.of(TensorData.fromFloats("w", new float[] {1}, new long[] {1}, DType.F32)));
    assertEquals(List.of(target), listing());
  }

  @Test
  void failureWhileWritingLeavesTheOldFileIntact() throws IOException {
    Path target = dir.resolve("lora.safetensors");
    SafetensorsWriter.write(target, Map.of("version", "old"),
        List.of(TensorData.fromFloats("w", new float[] {1}, new long[] {1}, DType.F32)));
    byte[] old = Files.readAllBytes(target);
    List<TensorSource> tensors = List.of(
        TensorData.fromFloats("a", new float[1000], new long[] {1000}, DType.F32), failing("b"));
    var e = assertThrows(IOException.class, () -> SafetensorsWriter.write(target, Map.of("version", "new"), tensors));
    assertEquals("disk went away while producing b", e.getMessage());
    assertArrayEquals(old, Files.readAllBytes(target));
    assertEquals(List.of(target), listing());
  }

  @Test
  void failureOfAHashedWriteLeavesNoFile() throws IOException {
    Path target = dir.resolve("ema.safetensors");
    assertThrows(IOException.class, () -> SafetensorsWriter.writeHashed(target, Map.of(), List.of(failing("x"))));
    assertEquals(List.of(), listing());
  }

  @Test
  void aTensorOfTheWrongLengthIsRefusedAndNothingIsWritten() throws IOException {
    Path target = dir.resolve("bad.safetensors");
    TensorSource lying = new TensorSource() {
      @Override public String name() {
        return "w";
      }

      @Override public DType dtype() {
        return DType.F32;
      }

      @Override public long[] shape() {
        return new long[] {4};
      }

      @Override public ByteBuffer data() {
        return ByteBuffer.allocate(12);
      }
    };
    var e = assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(target, Map.of(),
        List.of(lying)));
    assertEquals("tensor \"w\" produced 12 bytes; its shape and dtype need 16", e.getMessage());
    assertEquals(List.of(), listing());
  }

  @Test
  void overwritingReplacesTheWholeFile() throws IOException {
    Path target = dir.resolve("state.safetensors");
    SafetensorsWriter.write(target, Map.of(),
        List.of(TensorData.fromFloats("w", new float[4096], new long[] {4096}, DType.F32)));
    SafetensorsWriter.write(target, Map.of(),
        List.of(TensorData.fromFloats("w", new float[] {5}, new long[] {1}, DType.F32)));
    try (SafetensorsFile f = SafetensorsFile.open(target)) {
      assertArrayEquals(new float[] {5}, f.readFloats("w"));
    }
  }
}
