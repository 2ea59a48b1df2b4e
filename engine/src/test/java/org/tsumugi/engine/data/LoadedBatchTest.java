package org.tsumugi.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tsumugi.engine.data.CacheFixtures.T2V;
import static org.tsumugi.engine.data.CacheFixtures.values;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.TensorData;

/** A planned batch read from its cache files and stacked into DJL arrays. */
class LoadedBatchTest {
  private static NDManager manager;

  @TempDir Path dir;

  @BeforeAll
  static void startEngine() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterAll
  static void stopEngine() {
    manager.close();
  }

  /** Item i: latents values(·, i), T5 rows 1 + i (seed 100 + i), image latents seed 200 + i, clip seed 300 + i. */
  private void i2vItem(int i) throws IOException {
    String key = "it" + i;
    CacheFixtures.write(dir.resolve(key + "_0048x0032_wan.safetensors"), CacheFixtures.latentMetadata(48, 32),
        CacheFixtures.tensor("latents_1x4x6_bfloat16", DType.BF16, i, 16, 1, 4, 6),
        CacheFixtures.tensor("latents_image_1x4x6_bfloat16", DType.BF16, 200 + i, 20, 1, 4, 6),
        CacheFixtures.tensor("clip_bfloat16", DType.F16, 300 + i, 257, 1280));
    CacheFixtures.write(dir.resolve(key + "_wan_te.safetensors"), CacheFixtures.textMetadata(key),
        CacheFixtures.tensor("varlen_t5_bfloat16", DType.BF16, 100 + i, 1 + i, CacheFixtures.TEXT_DIM));
  }

  private static float[] concat(int n, List<Integer> seeds) {
    float[] all = new float[n * seeds.size()];
    for (int j = 0; j < seeds.size(); j++) {
      System.arraycopy(values(n, seeds.get(j)), 0, all, j * n, n);
    }
    return all;
  }

  @Test
  void stacksEveryEntryOfABatchInItsOrder() throws IOException {
    for (int i = 0; i < 5; i++) {
      i2vItem(i);
    }
    DiscoveredCaches data = CacheDiscovery.discover(CacheFixtures.config(dir, "batch_size = 3",
        List.of(CacheFixtures.imageDataset(dir, ""))), new CacheRequirements(8, 6, true));
    PlannedBatch plan = EpochPlan.of(data, 11, 1, OptionalInt.of(4)).batches().stream()
        .filter(b -> b.size() == 3).findFirst().orElseThrow();
    List<Integer> order = plan.items().stream().map(it -> Integer.parseInt(it.itemKey().substring(2))).toList();

    LoadedBatch loaded = LoadedBatch.load(plan, new CacheRequirements(8, 6, true));
    try (NDManager step = manager.newSubManager()) {
      Batch batch = loaded.toNDArrays(step);
      assertEquals(3, batch.size());
      assertEquals(new Shape(3, 16, 1, 4, 6), batch.latents().getShape());
      assertEquals(DataType.FLOAT32, batch.latents().getDataType());
      assertArrayEquals(concat(16 * 24, order), batch.latents().toFloatArray());
      NDArray image = batch.imageLatents().orElseThrow();
      assertEquals(new Shape(3, 20, 1, 4, 6), image.getShape());
      assertArrayEquals(concat(20 * 24, order.stream().map(i -> 200 + i).toList()), image.toFloatArray());
      NDArray clip = batch.clip().orElseThrow();
      assertEquals(new Shape(3, 257, 1280), clip.getShape());
      assertArrayEquals(concat(257 * 1280, order.stream().map(i -> 300 + i).toList()), clip.toFloatArray());
      for (int j = 0; j < 3; j++) {
        int i = order.get(j);
        assertEquals(new Shape(1 + i, 8), batch.context().get(j).getShape());
        assertArrayEquals(values((1 + i) * 8, 100 + i), batch.context().get(j).toFloatArray());
      }
      assertTrue(batch.controlLatents().isEmpty());
      assertTrue(batch.frameIndices().isEmpty());
      assertArrayEquals(plan.timestepUniforms().orElseThrow(), batch.timestepUniforms().orElseThrow());
    }
  }

  @Test
  void stacksOneFrameIndices() throws IOException {
    for (int i = 0; i < 2; i++) {
      CacheFixtures.write(dir.resolve("o" + i + "_0032x0032_wan.safetensors"), CacheFixtures.latentMetadata(32, 32),
          CacheFixtures.tensor("latents_2x4x4_bfloat16", DType.BF16, i, 16, 2, 4, 4),
          TensorData.fromLongs("f_indices_int32", new long[] {0, 9 + i}, new long[] {2}, DType.I32));
      CacheFixtures.write(dir.resolve("o" + i + "_wan_te.safetensors"), CacheFixtures.textMetadata("o"),
          CacheFixtures.t5(2, i));
    }
    DiscoveredCaches data = CacheDiscovery.discover(CacheFixtures.config(dir, "batch_size = 2",
        List.of(CacheFixtures.imageDataset(dir, ""))), T2V);
    PlannedBatch plan = EpochPlan.of(data, 3, 1, OptionalInt.empty()).batch(0);
    try (NDManager step = manager.newSubManager()) {
      Batch batch = LoadedBatch.load(plan, T2V).toNDArrays(step);
      NDArray indices = batch.frameIndices().orElseThrow();
      assertEquals(new Shape(2, 2), indices.getShape());
      assertEquals(DataType.INT32, indices.getDataType());
      int first = plan.items().get(0).itemKey().equals("o0") ? 9 : 10;
      assertArrayEquals(new int[] {0, first, 0, 19 - first}, indices.toIntArray());
      assertEquals(Optional.empty(), batch.timestepUniforms());
    }
  }

  @Test
  void refusesItemsThatDoNotStack() throws IOException {
    Path a = CacheFixtures.imageItem(dir, "a", 4, 4, 2, 1);
    Path b = CacheFixtures.imageItem(dir, "b", 4, 4, 2, 2);
    BucketKey key = new BucketKey(32, 32, 1);
    CacheItem itemA = new CacheItem("a", a, dir.resolve("a_wan_te.safetensors"), key);
    CacheItem itemB = new CacheItem("b", b, dir.resolve("b_wan_te.safetensors"), key);
    // b gains CLIP features after discovery
    CacheFixtures.write(b, CacheFixtures.latentMetadata(32, 32), CacheFixtures.imageLatents(4, 4, 2),
        CacheFixtures.tensor("clip_bfloat16", DType.F16, 3, 257, 1280));
    PlannedBatch plan = new PlannedBatch(0, 0, key, List.of(itemA, itemB), Optional.empty());
    CacheFileException e = assertThrows(CacheFileException.class, () -> LoadedBatch.load(plan, T2V));
    assertEquals(b, e.file());
    // b's latent changes size after discovery
    CacheFixtures.write(b, CacheFixtures.latentMetadata(32, 32), CacheFixtures.imageLatents(4, 6, 2));
    e = assertThrows(CacheFileException.class, () -> LoadedBatch.load(plan, T2V));
    assertTrue(e.getMessage().contains("changed"), e.getMessage());
    // b's text cache disappears
    CacheFixtures.write(b, CacheFixtures.latentMetadata(32, 32), CacheFixtures.imageLatents(4, 4, 2));
    Files.delete(dir.resolve("b_wan_te.safetensors"));
    e = assertThrows(CacheFileException.class, () -> LoadedBatch.load(plan, T2V));
    assertEquals(dir.resolve("b_wan_te.safetensors"), e.file());
  }
}
