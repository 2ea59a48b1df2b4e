package org.tsumugi.engine.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random truncations and byte flips of a valid file (fixed seed): every case either opens and reads cleanly or is
 * refused with a {@link SafetensorsFormatException} naming the file; nothing hangs or escapes as another error.
 */
class SafetensorsFuzzTest {
  private static final int CASES = 4000;

  @TempDir Path dir;

  private byte[] validFile() throws IOException {
    Map<String, String> md = new LinkedHashMap<>();
    md.put("ss_network_dim", "4");
    md.put("note", "fuzz \"quoted\" \\ é");
    List<TensorData> tensors = List.of(
        TensorData.fromFloats("a.weight", new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, DType.F32),
        TensorData.fromFloats("a.alpha", new float[] {2}, new long[] {}, DType.BF16),
        TensorData.fromFloats("b.weight", new float[] {0.5f, -1}, new long[] {2}, DType.F16),
        TensorData.fromFloats("c.weight", new float[] {1, 448, -2}, new long[] {3}, DType.F8_E4M3),
        TensorData.fromLongs("step", new long[] {42}, new long[] {1}, DType.I64),
        TensorData.fromLongs("mask", new long[] {1, 0, 1}, new long[] {3}, DType.BOOL));
    Path file = dir.resolve("valid.safetensors");
    SafetensorsWriter.write(file, md, tensors);
    return Files.readAllBytes(file);
  }

  @Test
  void corruptedFilesAreReadOrRefusedNeverCrash() throws IOException {
    byte[] valid = validFile();
    int headerEnd;
    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("valid.safetensors"))) {
      headerEnd = (int) f.dataOffset();
    }
    SplittableRandom random = new SplittableRandom(20240601);
    int[] outcome = new int[2];
    assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
      for (int i = 0; i < CASES; i++) {
        byte[] bytes = mutate(valid, headerEnd, random);
        Path file = dir.resolve("case" + i + ".safetensors");
        Files.write(file, bytes);
        outcome[readOrRefuse(file)]++;
        Files.delete(file);
      }
    });
    assertTrue(outcome[0] > 0 && outcome[1] > CASES / 4, () -> "opened " + outcome[0] + ", refused " + outcome[1]);
  }

  private static byte[] mutate(byte[] valid, int headerEnd, SplittableRandom random) {
    if (random.nextInt(3) == 0) {
      return Arrays.copyOf(valid, random.nextInt(valid.length));
    }
    byte[] bytes = valid.clone();
    int flips = 1 + random.nextInt(4);
    for (int f = 0; f < flips; f++) {
      // mostly in the length prefix and header, where a flip changes meaning
      int at = random.nextInt(10) < 8 ? random.nextInt(headerEnd) : random.nextInt(bytes.length);
      bytes[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (bytes[at] ^ (1 << random.nextInt(8)));
    }
    return bytes;
  }

  /** 0 = opened and every tensor read, 1 = refused properly. */
  private static int readOrRefuse(Path file) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      f.metadata().forEach((k, v) -> { });
      for (TensorInfo t : f.tensors()) {
        if (t.dtype().isFloatingPoint()) {
          f.readFloats(t.name());
        } else {
          f.readLongs(t.name());
        }
      }
      return 0;
    } catch (SafetensorsFormatException e) {
      assertTrue(e.getMessage().startsWith(file.toString()), e::getMessage);
      return 1;
    }
  }
}
