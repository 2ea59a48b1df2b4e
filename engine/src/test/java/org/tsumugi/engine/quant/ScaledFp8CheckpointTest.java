package org.tsumugi.engine.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.engine.io.Checkpoint;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorData;

/** Checkpoints already stored as scaled fp8 (F8_E4M3 weights with bf16 {@code .scale_weight}s) load as stored. */
class ScaledFp8CheckpointTest {

  static final String WEIGHT = "blocks.0.ffn.0.weight";
  static final String SCALE = "blocks.0.ffn.0.scale_weight";
  static final long[] SHAPE = {4, 128};

  @TempDir
  Path dir;

  @Test
  void storedCodesAndScalesReproduceTheReferencesDequantisedWeights() throws IOException {
    float[] w = bf16Weights();
    ReferenceFp8Rule.Result expected = ReferenceFp8Rule.quantise(w, 64, true);
    Path file = write(List.of(
        new TensorData(WEIGHT, DType.F8_E4M3, SHAPE, ByteBuffer.wrap(expected.codes())),
        TensorData.fromFloats(SCALE, expected.scales(), new long[] {4, 2, 1}, DType.BF16),
        TensorData.fromFloats("blocks.0.ffn.0.bias", new float[] {1, 2, 3, 4}, new long[] {4}, DType.F32)));
    try (Checkpoint ckpt = Checkpoint.open(file); WeightSource source = WeightSource.of(ckpt, "");
        NDManager m = NDManager.newBaseManager()) {
      assertTrue(source.prequantised());
      assertEquals(Set.of(WEIGHT, "blocks.0.ffn.0.bias"), source.shapes().keySet(), "scales are not model keys");
      ScaledFp8Test.assertBitsEqual(expected.dequantised(), source.store().load(WEIGHT, m).toFloatArray(),
          "loaded as float32");
      Fp8Tensor held = source.quantised(WEIGHT);
      assertArrayEquals(expected.codes(), held.codeBytes(), "codes held as stored");
      ScaledFp8Test.assertBitsEqual(expected.dequantised(), held.dequantise(), "held, dequantised");
      ScaledFp8Test.assertBitsEqual(expected.dequantised(), read(source, WEIGHT), "read by the swap tier");
      assertArrayEquals(new float[] {1, 2, 3, 4}, source.store().load("blocks.0.ffn.0.bias", m).toFloatArray());
    }
  }

  @Test
  void floatCheckpointQuantisedAtLoadEqualsTheSameWeightsStoredQuantised() throws IOException {
    float[] w = bf16Weights();
    Path file = write(List.of(TensorData.fromFloats(WEIGHT, w, SHAPE, DType.BF16)));
    ReferenceFp8Rule.Result expected = ReferenceFp8Rule.quantise(w, 64, true);
    try (Checkpoint ckpt = Checkpoint.open(file); WeightSource source = WeightSource.of(ckpt, "")) {
      assertFalse(source.prequantised());
      assertEquals(SourcePrecision.BF16, source.precision(WEIGHT));
      Fp8Tensor quantised = source.quantised(WEIGHT);
      assertArrayEquals(expected.codes(), quantised.codeBytes());
      ScaledFp8Test.assertBitsEqual(expected.scales(), quantised.scaleValues(), "scales in bf16");
      ScaledFp8Test.assertBitsEqual(expected.dequantised(), readFp8(source, WEIGHT), "round-tripped on swap-in");
    }
  }

  @Test
  void refusesAnFp8WeightWithoutItsScale() throws IOException {
    Path file = write(List.of(new TensorData(WEIGHT, DType.F8_E4M3, SHAPE, ByteBuffer.allocate(512)),
        TensorData.fromFloats("blocks.0.ffn.2.scale_weight", new float[] {1}, new long[0], DType.BF16),
        new TensorData("blocks.0.ffn.2.weight", DType.F8_E4M3, new long[] {1, 1}, ByteBuffer.allocate(1))));
    try (Checkpoint ckpt = Checkpoint.open(file)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightSource.of(ckpt, ""));
      assertTrue(e.getMessage().contains(WEIGHT) && e.getMessage().contains(SCALE), e.getMessage());
    }
  }

  @Test
  void refusesAScaleWhoseShapeFitsNoGranularity() throws IOException {
    Path file = write(List.of(new TensorData(WEIGHT, DType.F8_E4M3, SHAPE, ByteBuffer.allocate(512)),
        TensorData.fromFloats(SCALE, new float[12], new long[] {4, 3, 1}, DType.BF16)));
    try (Checkpoint ckpt = Checkpoint.open(file)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeightSource.of(ckpt, ""));
      assertTrue(e.getMessage().contains("[4, 3, 1]") && e.getMessage().contains(SCALE), e.getMessage());
    }
  }

  private static float[] bf16Weights() {
    List<float[]> groups = ReferenceFp8Rule.edgeGroups(64);
    float[] w = new float[8 * 64];
    for (int g = 0; g < 8; g++) {
      for (int i = 0; i < 64; i++) {
        w[g * 64 + i] = ReferenceFp8Rule.round(groups.get(g)[i], true);
      }
    }
    return w;
  }

  private static float[] read(WeightSource source, String key) {
    ByteBuffer into = ByteBuffer.allocate(4 * 512).order(ByteOrder.LITTLE_ENDIAN);
    source.floatTier().read(key, into);
    float[] out = new float[512];
    into.asFloatBuffer().get(out);
    return out;
  }

  private static float[] readFp8(WeightSource source, String key) {
    ByteBuffer into = ByteBuffer.allocate(4 * 512).order(ByteOrder.LITTLE_ENDIAN);
    source.fp8Tier().read(key, into);
    float[] out = new float[512];
    into.asFloatBuffer().get(out);
    return out;
  }

  private Path write(List<TensorData> tensors) throws IOException {
    Path file = dir.resolve("model-" + tensors.size() + "-" + System.nanoTime() + ".safetensors");
    SafetensorsWriter.write(file, Map.of(), tensors);
    return file;
  }
}
