package org.tsumugi.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Files written by the reference (safetensors library) read back and re-written byte for byte. */
class GoldenRoundTripTest {
  @TempDir Path dir;

  static Stream<Path> goldenFiles() throws IOException {
    List<Path> files;
    try (Stream<Path> all = Stream.concat(Files.list(Golden.dir().resolve("wan21-tiny")),
        Files.list(Golden.dir().resolve("post-hoc-ema")))) {
      files = all.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
    }
    assertEquals(15, files.size(), "golden safetensors files");
    return files.stream();
  }

  @ParameterizedTest
  @MethodSource("goldenFiles")
  void rewritingAGoldenFileGivesTheSameBytes(Path golden) throws IOException {
    Path copy = dir.resolve(golden.getFileName());
    try (SafetensorsFile f = SafetensorsFile.open(golden)) {
      List<TensorData> tensors = f.tensors().stream().map(t -> f.tensorData(t.name())).toList();
      if (f.hasMetadata()) {
        SafetensorsWriter.write(copy, f.metadata(), tensors);
      } else {
        SafetensorsWriter.writeWithoutMetadata(copy, tensors);
      }
      byte[] expected = Files.readAllBytes(golden);
      byte[] actual = Files.readAllBytes(copy);
      int dataOffset = (int) f.dataOffset();
      assertArrayEquals(Arrays.copyOfRange(expected, dataOffset, expected.length),
          Arrays.copyOfRange(actual, dataOffset, actual.length), "data section");
      assertArrayEquals(expected, actual, "whole file, header included (metadata kept in file order)");
    }
  }

  @Test
  void resavingTheReferencesBf16LoraReproducesItsHashes() throws IOException {
    Path golden = Golden.file("wan21-tiny/lora_saved_bf16.safetensors");
    try (SafetensorsFile f = SafetensorsFile.open(golden)) {
      List<TensorData> tensors = f.tensors().stream().map(t -> f.tensorData(t.name())).toList();
      SafetensorsHashes hashes = SafetensorsHashes.of(f.metadata(), tensors);
      assertEquals(f.metadata().get("sshs_model_hash"), hashes.modelHash());
      assertEquals(f.metadata().get("sshs_legacy_hash"), hashes.legacyHash());
      Path copy = dir.resolve("resaved.safetensors");
      SafetensorsWriter.writeHashed(copy, f.metadata(), tensors);
      assertArrayEquals(Files.readAllBytes(golden), Files.readAllBytes(copy));
    }
  }

  @Test
  void bf16LoraWidensToTheFloat32LoraRoundedToBf16() throws IOException {
    try (SafetensorsFile bf16 = SafetensorsFile.open(Golden.file("wan21-tiny/lora_saved_bf16.safetensors"));
        SafetensorsFile f32 = SafetensorsFile.open(Golden.file("wan21-tiny/lora.safetensors"))) {
      assertEquals(f32.tensors().size(), bf16.tensors().size());
      for (TensorInfo t : f32.tensors()) {
        float[] full = f32.readFloats(t.name());
        float[] rounded = new float[full.length];
        for (int i = 0; i < full.length; i++) {
          // the reference's tensor.to(bfloat16): round to nearest even, here done on the bits independently
          int bits = Float.floatToRawIntBits(full[i]);
          int lower = bits & 0xFFFF;
          int upper = bits >>> 16;
          boolean roundUp = lower > 0x8000 || (lower == 0x8000 && (upper & 1) == 1);
          rounded[i] = Float.intBitsToFloat((upper + (roundUp ? 1 : 0)) << 16);
        }
        assertArrayEquals(rounded, bf16.readFloats(t.name()), t.name());
        assertEquals(DType.BF16, bf16.info(t.name()).dtype());
      }
      assertFalse(f32.metadata().isEmpty());
    }
  }
}
