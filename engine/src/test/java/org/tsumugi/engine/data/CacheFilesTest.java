package org.tsumugi.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tsumugi.engine.data.CacheFixtures.T2V;
import static org.tsumugi.engine.data.CacheFixtures.latentMetadata;
import static org.tsumugi.engine.data.CacheFixtures.tensor;
import static org.tsumugi.engine.data.CacheFixtures.textMetadata;
import static org.tsumugi.engine.data.CacheFixtures.values;
import static org.tsumugi.engine.data.CacheFixtures.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.TensorData;

/** Reading latent and text-encoder caches written in the reference's format, and refusing what does not fit. */
class CacheFilesTest {
  @TempDir Path dir;

  private Path latentFile(Map<String, String> md, TensorData... tensors) throws IOException {
    return write(dir.resolve("x_0032x0032_wan.safetensors"), md, tensors);
  }

  private Path latentFile(TensorData... tensors) throws IOException {
    return latentFile(latentMetadata(32, 32), tensors);
  }

  private Path textFile(TensorData... tensors) throws IOException {
    return write(dir.resolve("x_wan_te.safetensors"), textMetadata("a cat"), tensors);
  }

  private static String refusedLatent(Path file, CacheRequirements req) {
    CacheFileException e = assertThrows(CacheFileException.class, () -> WanLatentCache.open(file, req).close());
    assertEquals(file, e.file());
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    return e.getMessage();
  }

  private static String refusedText(Path file) {
    CacheFileException e = assertThrows(CacheFileException.class, () -> WanTextCache.open(file, T2V).close());
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    return e.getMessage();
  }

  private static void assertContains(String message, String part) {
    assertTrue(message.contains(part), () -> "\"" + part + "\" not in: " + message);
  }

  @Test
  void readsEveryEntryOfAnImageToVideoCache() throws IOException {
    Path file = latentFile(
        tensor("latents_2x4x4_bfloat16", DType.BF16, 1, 16, 2, 4, 4),
        tensor("latents_image_2x4x4_bfloat16", DType.BF16, 2, 20, 2, 4, 4),
        tensor("latents_control_2x4x4_bfloat16", DType.BF16, 3, 16, 2, 4, 4),
        tensor("clip_bfloat16", DType.F16, 4, 257, 1280));
    try (WanLatentCache c = WanLatentCache.open(file, new CacheRequirements(8, 6, true))) {
      assertEquals(new LatentGrid(2, 4, 4), c.grid());
      assertEquals(EnumSet.of(CacheEntry.LATENTS, CacheEntry.IMAGE_LATENTS, CacheEntry.CONTROL_LATENTS,
          CacheEntry.CLIP), c.entries());
      assertEquals(new HostTensor(new long[] {16, 2, 4, 4}, values(512, 1)), c.read(CacheEntry.LATENTS));
      assertEquals(new HostTensor(new long[] {20, 2, 4, 4}, values(640, 2)), c.read(CacheEntry.IMAGE_LATENTS));
      assertEquals(new HostTensor(new long[] {16, 2, 4, 4}, values(512, 3)), c.read(CacheEntry.CONTROL_LATENTS));
      assertEquals(Optional.empty(), c.readFrameIndices());
    }
  }

  @Test
  void trustsTheHeaderDtypeNotTheKeySuffix() throws IOException {
    // QUIRK (§4.2): CLIP features are float16 under a clip_bfloat16 key; decoding them as bf16 would give other numbers
    Path file = latentFile(
        tensor("latents_1x4x4_float32", DType.BF16, 1, 16, 1, 4, 4),
        tensor("clip_bfloat16", DType.F16, 4, 257, 1280));
    try (WanLatentCache c = WanLatentCache.open(file, T2V)) {
      assertArrayEquals(values(257 * 1280, 4), c.read(CacheEntry.CLIP).values());
      assertArrayEquals(values(256, 1), c.read(CacheEntry.LATENTS).values());
    }
  }

  @Test
  void readsOneFrameCaches() throws IOException {
    Path file = latentFile(
        tensor("latents_3x4x4_bfloat16", DType.BF16, 1, 16, 3, 4, 4),
        tensor("clip_bfloat16", DType.F16, 2, 2, 257, 1280),
        TensorData.fromLongs("f_indices_int32", new long[] {0, 1, 10}, new long[] {3}, DType.I32));
    try (WanLatentCache c = WanLatentCache.open(file, T2V)) {
      assertArrayEquals(new int[] {0, 1, 10}, c.readFrameIndices().orElseThrow());
      assertArrayEquals(new long[] {2, 257, 1280}, c.read(CacheEntry.CLIP).shape());
      c.checkName(CacheFileName.parse(file, MediaKind.IMAGE));
    }
  }

  @Test
  void readsTextRowsAndCaption() throws IOException {
    Path file = textFile(tensor("varlen_t5_bfloat16", DType.BF16, 5, 4, 8));
    try (WanTextCache t = WanTextCache.open(file, T2V)) {
      assertEquals(4, t.length());
      assertEquals(Optional.of("a cat"), t.caption());
      assertEquals(new HostTensor(new long[] {4, 8}, values(32, 5)), t.readContext());
    }
  }

  @Test
  void refusesAnotherArchitecture() throws IOException {
    Map<String, String> md = latentMetadata(32, 32);
    md.put("architecture", "hunyuan_video");
    String m = refusedLatent(latentFile(md, tensor("latents_1x4x4_bfloat16", DType.BF16, 1, 16, 1, 4, 4)), T2V);
    assertContains(m, "hunyuan_video");
    Path text = write(dir.resolve("y_wan_te.safetensors"), Map.of("architecture", "fpack"),
        tensor("varlen_t5_bfloat16", DType.BF16, 1, 2, 8));
    assertContains(refusedText(text), "fpack");
  }

  @Test
  void refusesAFileWithoutArchitecture() throws IOException {
    assertContains(refusedLatent(latentFile(Map.of(), tensor("latents_1x4x4_bfloat16", DType.BF16, 1, 16, 1, 4, 4)),
        T2V), "no architecture");
  }

  @Test
  void refusesMissingLatents() throws IOException {
    assertContains(refusedLatent(latentFile(tensor("clip_bfloat16", DType.F16, 1, 257, 1280)), T2V),
        "no \"latents\"");
  }

  @Test
  void refusesWrongChannelCount() throws IOException {
    String m = refusedLatent(latentFile(tensor("latents_1x4x4_bfloat16", DType.BF16, 1, 8, 1, 4, 4)), T2V);
    assertContains(m, "8 channels");
    assertContains(m, "16");
  }

  @Test
  void refusesWrongRank() throws IOException {
    assertContains(refusedLatent(latentFile(tensor("latents_1x4x4_bfloat16", DType.BF16, 1, 16, 4, 4)), T2V),
        "rank 3");
  }

  @Test
  void refusesALatentWhoseShapeDisagreesWithItsKey() throws IOException {
    String m = refusedLatent(latentFile(tensor("latents_1x4x4_bfloat16", DType.BF16, 1, 16, 1, 4, 6)), T2V);
    assertContains(m, "[16, 1, 4, 6]");
    assertContains(m, "1x4x4");
  }

  @Test
  void refusesAnImageLatentOfAnotherSize() throws IOException {
    assertContains(refusedLatent(latentFile(tensor("latents_1x4x4_bfloat16", DType.BF16, 1, 16, 1, 4, 4),
        tensor("latents_image_1x4x6_bfloat16", DType.BF16, 2, 20, 1, 4, 6)), T2V), "latents_image_1x4x6_bfloat16");
  }

  @Test
  void refusesALatentKeyWithoutGrid() throws IOException {
    assertContains(refusedLatent(latentFile(tensor("latents_big_bfloat16", DType.BF16, 1, 16, 1, 4, 4)), T2V),
        "{F}x{H}x{W}");
  }

  @Test
  void refusesIntegerLatents() throws IOException {
    TensorData ints = TensorData.fromLongs("latents_1x1x1_int32", new long[16], new long[] {16, 1, 1, 1}, DType.I32);
    assertContains(refusedLatent(latentFile(ints), T2V), "floating-point");
  }

  @Test
  void refusesTwoTensorsForOneEntry() throws IOException {
    assertContains(refusedLatent(latentFile(tensor("latents_1x4x4_bfloat16", DType.BF16, 1, 16, 1, 4, 4),
        tensor("latents_1x4x4_float32", DType.F32, 1, 16, 1, 4, 4)), T2V), "both the batch entry \"latents\"");
  }

  @Test
  void refusesMisshapenClipAndFrameIndices() throws IOException {
    TensorData latents = tensor("latents_2x4x4_bfloat16", DType.BF16, 1, 16, 2, 4, 4);
    assertContains(refusedLatent(latentFile(latents, tensor("clip_bfloat16", DType.F16, 1, 256, 1280)), T2V),
        "[257, 1280]");
    TensorData indices = TensorData.fromLongs("f_indices_int32", new long[] {0, 1, 2}, new long[] {3}, DType.I32);
    assertContains(refusedLatent(latentFile(latents, indices), T2V), "one index per latent frame");
  }

  @Test
  void imageToVideoNeedsImageLatentsAndClip() throws IOException {
    Path file = latentFile(tensor("latents_1x4x4_bfloat16", DType.BF16, 1, 16, 1, 4, 4));
    assertContains(refusedLatent(file, new CacheRequirements(8, 6, true)), "latents_image");
    WanLatentCache.open(file, T2V).close();
  }

  @Test
  void refusesTextRowsThatDoNotFitTheModel() throws IOException {
    assertContains(refusedText(textFile(tensor("varlen_t5_bfloat16", DType.BF16, 1, 3, 16))),
        "width 16 but the model's text_dim is 8");
    assertContains(refusedText(textFile(tensor("varlen_t5_bfloat16", DType.BF16, 1, 7, 8))), "7 rows");
    assertContains(refusedText(textFile(tensor("varlen_t5_bfloat16", DType.BF16, 1, 2, 3, 8))), "rank 3");
    assertContains(refusedText(textFile(tensor("varlen_llm_bfloat16", DType.BF16, 1, 3, 8))), "no \"t5\"");
  }

  @Test
  void refusesNonFiniteValuesWhenReading() throws IOException {
    float[] v = new float[16];
    v[5] = Float.NaN;
    Path file = latentFile(TensorData.fromFloats("latents_1x1x1_bfloat16", v, new long[] {16, 1, 1, 1}, DType.BF16));
    try (WanLatentCache c = WanLatentCache.open(file, T2V)) {
      CacheFileException e = assertThrows(CacheFileException.class, () -> c.read(CacheEntry.LATENTS));
      assertContains(e.getMessage(), "NaN at element 5");
    }
  }

  @Test
  void refusesCorruptTruncatedAndMissingFiles() throws IOException {
    Path valid = latentFile(tensor("latents_1x4x4_bfloat16", DType.BF16, 1, 16, 1, 4, 4));
    byte[] bytes = Files.readAllBytes(valid);
    Path truncated = Files.write(dir.resolve("t_0032x0032_wan.safetensors"), Arrays.copyOf(bytes, bytes.length - 3));
    assertContains(refusedLatent(truncated, T2V), "corrupt or truncated");
    byte[] garbage = bytes.clone();
    garbage[9] = '[';
    Path corrupt = Files.write(dir.resolve("c_0032x0032_wan.safetensors"), garbage);
    assertContains(refusedLatent(corrupt, T2V), "not a valid safetensors file");
    assertContains(refusedLatent(dir.resolve("none_0032x0032_wan.safetensors"), T2V), "not found");
  }

  @Test
  void checksTheFileAgainstItsName() throws IOException {
    Map<String, String> md = latentMetadata(32, 32);
    md.put("frame_count", "9");
    Path video = write(dir.resolve("v_00000-009_0032x0032_wan.safetensors"), md,
        tensor("latents_2x4x4_bfloat16", DType.BF16, 1, 16, 2, 4, 4));
    CacheFileName name = CacheFileName.parse(video, MediaKind.VIDEO);
    try (WanLatentCache c = WanLatentCache.open(video, T2V)) {
      CacheFileException e = assertThrows(CacheFileException.class, () -> c.checkName(name));
      assertContains(e.getMessage(), "9 frames, which the VAE encodes as 3 latent frames, but the latent has 2");
    }
    Path wide = latentFile(latentMetadata(48, 32), tensor("latents_1x4x4_bfloat16", DType.BF16, 1, 16, 1, 4, 4));
    try (WanLatentCache c = WanLatentCache.open(wide, T2V)) {
      CacheFileException e = assertThrows(CacheFileException.class,
          () -> c.checkName(CacheFileName.parse(wide, MediaKind.IMAGE)));
      assertContains(e.getMessage(), "width=\"48\" but the file name says 32");
    }
    Path twoFrames = latentFile(tensor("latents_2x4x4_bfloat16", DType.BF16, 1, 16, 2, 4, 4));
    try (WanLatentCache c = WanLatentCache.open(twoFrames, T2V)) {
      assertThrows(CacheFileException.class, () -> c.checkName(CacheFileName.parse(twoFrames, MediaKind.IMAGE)));
    }
  }
}
