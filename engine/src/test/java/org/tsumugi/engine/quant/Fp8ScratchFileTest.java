package org.tsumugi.engine.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.engine.io.Checkpoint;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorData;
import org.tsumugi.engine.model.MemoryOptions;
import org.tsumugi.engine.model.StreamedBlocks;
import org.tsumugi.engine.tensor.TensorStore;

/** Swapped fp8 blocks of a bf16 checkpoint, quantised once into a scratch file, read back as the round trip gives. */
class Fp8ScratchFileTest {

  static final long[] BLOCK_SHAPE = {4, 128};
  static final long[] CHANNEL_SHAPE = {8, 96};

  @TempDir
  Path dir;

  @Test
  void scratchTierGivesTheRoundTripTiersWeightsBitForBit() throws IOException {
    Path scratch = Files.createDirectory(dir.resolve("scratch"));
    try (Checkpoint ckpt = Checkpoint.open(writeBf16Blocks(2)); WeightSource source = WeightSource.of(ckpt, "", scratch)) {
      List<String> keys = List.of("blocks.1.ffn.0.weight", "blocks.1.ffn.2.weight", "blocks.0.ffn.0.weight");
      var scratchTier = source.fp8SwapTier(keys);
      assertTrue(scratchTier instanceof Fp8ScratchFile, "a bf16 checkpoint's swapped weights go to a scratch file");
      for (String key : keys) {
        float[] roundTrip = read(source.fp8Tier(), key);
        ScaledFp8Test.assertBitsEqual(roundTrip, read(scratchTier, key), key);
        ScaledFp8Test.assertBitsEqual(roundTrip, read(scratchTier, key), key + ", read again");
      }
      float[] w = ReferenceFp8Rule.quantise(bf16(ReferenceFp8Rule.edgeGroups(64)), 64, true).dequantised();
      ScaledFp8Test.assertBitsEqual(w, read(scratchTier, "blocks.0.ffn.0.weight"), "the reference rule's values");
    }
  }

  @Test
  void scratchFileIsDeletedWhenTheSourceCloses() throws IOException {
    Path scratch = Files.createDirectory(dir.resolve("scratch"));
    Fp8ScratchFile file;
    try (Checkpoint ckpt = Checkpoint.open(writeBf16Blocks(1)); WeightSource source = WeightSource.of(ckpt, "", scratch)) {
      file = (Fp8ScratchFile) source.fp8SwapTier(List.of("blocks.0.ffn.0.weight", "blocks.0.ffn.2.weight"));
      assertTrue(Files.isRegularFile(file.path()), "written at load");
      assertEquals(512 + 4 * 8 + 768 + 4 * 8, Files.size(file.path()), "codes and float32 scales of both weights");
      assertEquals(1, entries(scratch), "one directory of its own under the scratch directory");
    }
    assertTrue(Files.notExists(file.path()), "deleted on close");
    assertEquals(0, entries(scratch), "its directory deleted too");
  }

  @Test
  void memoryPlanStreamsSwappedFp8BlocksFromTheScratchFileAndTheSourceDeletesIt() throws IOException {
    Path scratch = Files.createDirectory(dir.resolve("scratch"));
    try (Checkpoint ckpt = Checkpoint.open(writeBf16Blocks(3)); WeightSource source = WeightSource.of(ckpt, "", scratch);
        NDManager m = NDManager.newBaseManager()) {
      StreamedBlocks blocks = (StreamedBlocks) MemoryPlan.place(source, 3, b -> "blocks." + b + ".",
          new MemoryOptions(true, 2, false), m);
      assertEquals(1, entries(scratch), "the two swapped blocks quantised into a scratch file at load");
      for (int b = 0; b < 3; b++) {
        blocks.bringIn(b);
        TensorStore store = blocks.blockStore(b, source.store());
        for (String relative : List.of("ffn.0.weight", "ffn.2.weight")) {
          String key = "blocks." + b + "." + relative;
          ScaledFp8Test.assertBitsEqual(read(source.fp8Tier(), key), store.load(key, m).toFloatArray(), key);
        }
      }
    }
    assertEquals(0, entries(scratch), "deleted when the source closes");
  }

  @Test
  void aScratchDirectoryThatCannotBeWrittenIsNamed() throws IOException {
    Path missing = dir.resolve("no-such-directory");
    try (Checkpoint ckpt = Checkpoint.open(writeBf16Blocks(1)); WeightSource source = WeightSource.of(ckpt, "", missing)) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class,
          () -> source.fp8SwapTier(List.of("blocks.0.ffn.0.weight")));
      assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
  }

  /** Blocks of bf16 weights: ffn.0 with block scales (the reference rule's edge cases), ffn.2 with row scales. */
  private Path writeBf16Blocks(int blocks) throws IOException {
    List<TensorData> tensors = new ArrayList<>();
    for (int b = 0; b < blocks; b++) {
      List<float[]> edges = ReferenceFp8Rule.edgeGroups(64);
      List<float[]> rows = ReferenceFp8Rule.edgeGroups(96);
      if (b > 0) {
        edges.add(0, edges.remove(edges.size() - b)); // each block different
        rows.add(0, rows.remove(rows.size() - b));
      }
      tensors.add(TensorData.fromFloats("blocks." + b + ".ffn.0.weight", bf16(edges), BLOCK_SHAPE, DType.BF16));
      tensors.add(TensorData.fromFloats("blocks." + b + ".ffn.2.weight", bf16(rows), CHANNEL_SHAPE, DType.BF16));
    }
    Path file = dir.resolve("model.safetensors");
    SafetensorsWriter.write(file, Map.of(), tensors);
    return file;
  }

  private static float[] bf16(List<float[]> groups) {
    int size = groups.get(0).length;
    float[] w = new float[groups.size() * size];
    for (int g = 0; g < groups.size(); g++) {
      for (int i = 0; i < size; i++) {
        w[g * size + i] = ReferenceFp8Rule.round(groups.get(g)[i], true);
      }
    }
    return w;
  }

  private static float[] read(org.tsumugi.engine.model.WeightTier tier, String key) {
    int numel = key.contains("ffn.0") ? 512 : 768;
    ByteBuffer into = ByteBuffer.allocateDirect(4 * numel).order(ByteOrder.LITTLE_ENDIAN);
    tier.read(key, into);
    float[] out = new float[numel];
    into.asFloatBuffer().get(out);
    return out;
  }

  private static long entries(Path directory) throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      return s.count();
    }
  }
}
