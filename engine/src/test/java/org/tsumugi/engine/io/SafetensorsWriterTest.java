package org.tsumugi.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte layout and hashes against reference/lora-and-ema.md §1.10 (test vectors A and B). */
class SafetensorsWriterTest {
  @TempDir Path dir;

  private static List<TensorData> vectorA() {
    return List.of(
        TensorData.fromFloats("lora_unet_x.lora_up.weight", new float[6], new long[] {3, 2}, DType.F32),
        TensorData.fromFloats("lora_unet_x.alpha", new float[] {4f}, new long[] {}, DType.F32),
        TensorData.fromFloats("lora_unet_x.lora_down.weight", new float[] {0f, .1f, .2f, .3f, .4f, .5f},
            new long[] {2, 3}, DType.F32));
  }

  private static Map<String, String> vectorAMetadata() {
    Map<String, String> md = new LinkedHashMap<>();
    md.put("ss_network_dim", "2");
    md.put("modelspec.title", "t");
    md.put("sshs_model_hash", "old");
    return md;
  }

  private static List<TensorData> vectorB() {
    float[] arange = new float[300_000];
    for (int i = 0; i < arange.length; i++) {
      arange[i] = i;
    }
    return List.of(TensorData.fromFloats("a", arange, new long[] {arange.length}, DType.F32));
  }

  @Test
  void vectorAHeaderIsTheLibrarysBytes() {
    String expected = "{\"__metadata__\":{\"ss_network_dim\":\"2\"},"
        + "\"lora_unet_x.alpha\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
        + "\"lora_unet_x.lora_down.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[4,28]},"
        + "\"lora_unet_x.lora_up.weight\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[28,52]}}";
    byte[] header = SafetensorsWriter.serializeHeader(Map.of("ss_network_dim", "2"), vectorA());
    assertEquals(272, header.length);
    assertEquals(expected, new String(header, StandardCharsets.UTF_8));
  }

  @Test
  void vectorAHashes() throws IOException {
    SafetensorsHashes hashes = SafetensorsHashes.of(vectorAMetadata(), vectorA());
    assertEquals("1b0ae22c0b29fa37ec6730a940a17afcfdfa65faacac2661018d24f5dd1881b6", hashes.modelHash());
    assertEquals("e3b0c442", hashes.legacyHash());
  }

  @Test
  void vectorBHashesDependOnHeaderLengthOnly() throws IOException {
    String model = "9ffa1f31c2a8b4ed0fe0e90234d0f479310904d78a0d79bb9194c5b0d75434fe";
    assertEquals(new SafetensorsHashes(model, "aa552e4e"), SafetensorsHashes.of(Map.of("ss_x", "y"), vectorB()));
    assertEquals(new SafetensorsHashes(model, "aa552e4e"), SafetensorsHashes.of(Map.of("ss_x", "yy"), vectorB()));
    assertEquals(new SafetensorsHashes(model, "1fcc6e8a"),
        SafetensorsHashes.of(Map.of("ss_x", "yyyyyyyyyy"), vectorB()));
    assertEquals(new SafetensorsHashes(model, "3452ab51"), SafetensorsHashes.of(Map.of(), vectorB()));
    assertEquals(new SafetensorsHashes(model, "3452ab51"),
        SafetensorsHashes.of(Map.of("modelspec.title", "ignored", "sshs_model_hash", "ignored"), vectorB()));
  }

  @Test
  void writeHashedStoresTheHashesAndTheRestOfTheMetadata() throws IOException {
    Path file = dir.resolve("a.safetensors");
    Map<String, String> md = new LinkedHashMap<>(vectorAMetadata());
    SafetensorsHashes hashes = SafetensorsWriter.writeHashed(file, md, vectorA());
    assertEquals("1b0ae22c0b29fa37ec6730a940a17afcfdfa65faacac2661018d24f5dd1881b6", hashes.modelHash());
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertEquals(List.of("ss_network_dim", "modelspec.title", "sshs_model_hash", "sshs_legacy_hash"),
          List.copyOf(f.metadata().keySet()));
      assertEquals(hashes.modelHash(), f.metadata().get("sshs_model_hash"));
      assertEquals("e3b0c442", f.metadata().get("sshs_legacy_hash"));
      assertArrayEquals(new float[] {0f, .1f, .2f, .3f, .4f, .5f}, f.readFloats("lora_unet_x.lora_down.weight"));
    }
    assertEquals("old", md.get("sshs_model_hash"), "the caller's map is not changed");
  }

  @Test
  void writeHashedLegacyHashSeesTheHashHeaderNotTheFileHeader() throws IOException {
    Path file = dir.resolve("b.safetensors");
    Map<String, String> md = Map.of("ss_x", "yyyyyyyyyy", "modelspec.title", "a long title that changes the header");
    SafetensorsHashes hashes = SafetensorsWriter.writeHashed(file, md, vectorB());
    assertEquals("1fcc6e8a", hashes.legacyHash());
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertEquals("1fcc6e8a", f.metadata().get("sshs_legacy_hash"));
      assertEquals(vectorB().get(0), f.tensorData("a"));
    }
  }

  @Test
  void tensorsAreOrderedByDtypeDescendingThenNameBytes() throws IOException {
    List<TensorData> tensors = List.of(
        TensorData.fromLongs("b", new long[] {1}, new long[] {1}, DType.U8),
        TensorData.fromFloats("z", new float[] {1}, new long[] {1}, DType.BF16),
        TensorData.fromLongs("a", new long[] {1}, new long[] {1}, DType.I64),
        TensorData.fromFloats("é", new float[] {1}, new long[] {1}, DType.F32),
        TensorData.fromFloats("Z", new float[] {1}, new long[] {1}, DType.F32),
        TensorData.fromFloats("y", new float[] {1}, new long[] {1}, DType.F32),
        TensorData.fromLongs("c", new long[] {1}, new long[] {1}, DType.BOOL));
    Path file = dir.resolve("order.safetensors");
    SafetensorsWriter.write(file, Map.of(), tensors);
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertEquals(List.of("a", "Z", "y", "é", "z", "b", "c"), f.tensors().stream().map(TensorInfo::name).toList());
    }
  }

  @Test
  void headerEscapesAsSerdeJsonAndPadsWithSpaces() {
    Map<String, String> md = new LinkedHashMap<>();
    md.put("k\"\\", "a\nb\tc\u0001d/é\u007f\b\f\r");
    String header = new String(SafetensorsWriter.serializeHeader(md, List.of()), StandardCharsets.UTF_8);
    String json = "{\"__metadata__\":{\"k\\\"\\\\\":\"a\\nb\\tc\\u0001d/é\u007f\\b\\f\\r\"}}";
    assertEquals(json + " ".repeat(header.getBytes(StandardCharsets.UTF_8).length
        - json.getBytes(StandardCharsets.UTF_8).length), header);
    assertEquals(0, header.getBytes(StandardCharsets.UTF_8).length % 8);
  }

  @Test
  void writeWithoutMetadataOmitsTheEntry() throws IOException {
    Path file = dir.resolve("plain.safetensors");
    SafetensorsWriter.writeWithoutMetadata(file, vectorA());
    byte[] bytes = Files.readAllBytes(file);
    String header = new String(bytes, 8, 40, StandardCharsets.UTF_8);
    assertEquals("{\"lora_unet_x.alpha\":{\"dtype\":\"F32\",\"sha", header);
  }

  @Test
  void refusesDuplicateOrReservedNames() {
    List<TensorData> twice = List.of(vectorA().get(0), vectorA().get(0));
    assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.serializeHeader(Map.of(), twice));
    List<TensorData> reserved = List.of(TensorData.fromFloats("__metadata__", new float[1], new long[] {1}, DType.F32));
    assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.serializeHeader(Map.of(), reserved));
  }

  @Test
  void refusesValuesThatDoNotFitTheShapeOrDtype() {
    assertThrows(IllegalArgumentException.class,
        () -> TensorData.fromFloats("x", new float[3], new long[] {2, 2}, DType.F32));
    assertThrows(IllegalArgumentException.class,
        () -> TensorData.fromLongs("x", new long[] {256}, new long[] {1}, DType.U8));
    assertThrows(IllegalArgumentException.class,
        () -> TensorData.fromLongs("x", new long[] {2}, new long[] {1}, DType.BOOL));
    assertThrows(IllegalArgumentException.class,
        () -> TensorData.fromFloats("x", new float[1], new long[] {1}, DType.I32));
  }
}
