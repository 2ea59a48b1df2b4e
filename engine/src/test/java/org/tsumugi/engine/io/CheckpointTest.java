package org.tsumugi.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One store over single files and sharded sets; tensors into DJL arrays. */
class CheckpointTest {
  @TempDir Path dir;

  private void writeShards(String prefix) throws IOException {
    SafetensorsWriter.write(dir.resolve(prefix + "00001-of-00002.safetensors"), Map.of("part", "1"), List.of(
        TensorData.fromFloats("blocks.0.w", new float[] {1, 2}, new long[] {2}, DType.BF16)));
    SafetensorsWriter.write(dir.resolve(prefix + "00002-of-00002.safetensors"), Map.of("part", "2"), List.of(
        TensorData.fromFloats("blocks.1.w", new float[] {3, 4}, new long[] {2}, DType.F32),
        TensorData.fromLongs("steps", new long[] {7}, new long[] {}, DType.I64)));
  }

  @Test
  void openingAnyPartOfASplitSetOpensAllParts() throws IOException {
    writeShards("model-");
    for (String part : List.of("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors")) {
      try (Checkpoint c = Checkpoint.open(dir.resolve(part))) {
        assertEquals(Set.of("blocks.0.w", "blocks.1.w", "steps"), c.names());
        assertArrayEquals(new float[] {1, 2}, c.readFloats("blocks.0.w"));
        assertArrayEquals(new float[] {3, 4}, c.readFloats("blocks.1.w"));
        assertArrayEquals(new long[] {7}, c.readLongs("steps"));
        assertEquals(Map.of("part", "1"), c.metadata());
      }
    }
  }

  @Test
  void refusesASplitSetWithAMissingPart() throws IOException {
    writeShards("model-");
    Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
    var e = assertThrows(NoSuchFileException.class,
        () -> Checkpoint.open(dir.resolve("model-00001-of-00002.safetensors")));
    assertTrue(e.getMessage().contains("model-00002-of-00002.safetensors"));
  }

  @Test
  void opensAnIndexJson() throws IOException {
    writeShards("m-");
    Files.writeString(dir.resolve("m.safetensors.index.json"), "{\"metadata\":{\"total_size\":20},\"weight_map\":{"
        + "\"blocks.0.w\":\"m-00001-of-00002.safetensors\",\"blocks.1.w\":\"m-00002-of-00002.safetensors\","
        + "\"steps\":\"m-00002-of-00002.safetensors\"}}");
    try (Checkpoint c = Checkpoint.open(dir.resolve("m.safetensors.index.json"))) {
      assertEquals(2, c.files().size());
      // I64 sorts before F32 (dtype descending), so the counter comes first in its shard
      assertEquals(new TensorInfo("steps", DType.I64, new long[] {}, 0, 8), c.info("steps"));
      assertEquals(new TensorInfo("blocks.1.w", DType.F32, new long[] {2}, 8, 16), c.info("blocks.1.w"));
      assertArrayEquals(new float[] {3, 4}, c.readFloats("blocks.1.w"));
    }
  }

  @Test
  void refusesAnIndexThatDisagreesWithItsShards() throws IOException {
    writeShards("m-");
    Path index = dir.resolve("m.safetensors.index.json");
    Files.writeString(index, "{\"weight_map\":{\"blocks.0.w\":\"m-00002-of-00002.safetensors\"}}");
    var e = assertThrows(SafetensorsFormatException.class, () -> Checkpoint.open(index));
    assertTrue(e.getMessage().contains("blocks.0.w"), e::getMessage);
    Files.writeString(index, "{\"weight_map\":{\"x\":\"../elsewhere.safetensors\"}}");
    assertThrows(SafetensorsFormatException.class, () -> Checkpoint.open(index));
    Files.writeString(index, "{\"weight_map\":[");
    assertThrows(SafetensorsFormatException.class, () -> Checkpoint.open(index));
  }

  @Test
  void refusesATensorInTwoShards() throws IOException {
    SafetensorsWriter.write(dir.resolve("d-00001-of-00002.safetensors"), Map.of(),
        List.of(TensorData.fromFloats("w", new float[] {1}, new long[] {1}, DType.F32)));
    SafetensorsWriter.write(dir.resolve("d-00002-of-00002.safetensors"), Map.of(),
        List.of(TensorData.fromFloats("w", new float[] {2}, new long[] {1}, DType.F32)));
    var e = assertThrows(SafetensorsFormatException.class,
        () -> Checkpoint.open(dir.resolve("d-00001-of-00002.safetensors")));
    assertTrue(e.getMessage().contains("\"w\" is in both"), e::getMessage);
  }

  @Test
  void loadsFloatDtypesAsFloat32AndIntegersAsSupportedIntegerTypes() throws IOException {
    Path file = dir.resolve("mixed.safetensors");
    SafetensorsWriter.write(file, Map.of(), List.of(
        TensorData.fromFloats("bf16", new float[] {1.5f, -2, 3, 0.25f}, new long[] {2, 2}, DType.BF16),
        TensorData.fromFloats("f16", new float[] {0.5f}, new long[] {}, DType.F16),
        TensorData.fromFloats("f8", new float[] {448, -0.5f}, new long[] {2}, DType.F8_E4M3),
        TensorData.fromLongs("i16", new long[] {-3, 4}, new long[] {2}, DType.I16),
        TensorData.fromLongs("u8", new long[] {200}, new long[] {1}, DType.U8),
        TensorData.fromLongs("bool", new long[] {1, 0}, new long[] {2}, DType.BOOL),
        TensorData.fromLongs("i64", new long[] {Long.MIN_VALUE}, new long[] {1}, DType.I64)));
    try (Checkpoint c = Checkpoint.open(file); NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray bf16 = c.load(manager, "bf16");
      assertEquals(DataType.FLOAT32, bf16.getDataType());
      assertEquals(new Shape(2, 2), bf16.getShape());
      assertArrayEquals(new float[] {1.5f, -2, 3, 0.25f}, bf16.toFloatArray());
      NDArray f16 = c.load(manager, "f16");
      assertEquals(new Shape(), f16.getShape());
      assertArrayEquals(new float[] {0.5f}, f16.toFloatArray());
      assertArrayEquals(new float[] {448, -0.5f}, c.load(manager, "f8").toFloatArray());
      NDArray i16 = c.load(manager, "i16");
      assertEquals(DataType.INT32, i16.getDataType());
      assertArrayEquals(new int[] {-3, 4}, i16.toIntArray());
      assertArrayEquals(new byte[] {(byte) 200}, c.load(manager, "u8").toByteArray());
      assertArrayEquals(new boolean[] {true, false}, c.load(manager, "bool").toBooleanArray());
      assertArrayEquals(new long[] {Long.MIN_VALUE}, c.load(manager, "i64").toLongArray());
      NDArray doubled = bf16.mul(2);
      assertArrayEquals(new float[] {3, -4, 6, 0.5f}, doubled.toFloatArray(), "usable in arithmetic");
    }
  }
}
