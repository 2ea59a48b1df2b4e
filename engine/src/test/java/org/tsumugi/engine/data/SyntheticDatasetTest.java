package org.tsumugi.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.config.dataset.DatasetConfig;
import org.tsumugi.config.dataset.ImageDatasetConfig;
import org.tsumugi.config.dataset.VideoDatasetConfig;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsFile;
import org.tsumugi.engine.io.TensorInfo;

/** The synthetic dataset is in the reference's format, loads through the dataset config and is deterministic. */
class SyntheticDatasetTest {
  @TempDir Path root;

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesImageCachesInTheReferenceFormat() throws IOException {
    SyntheticDatasetSpec spec = new SyntheticDatasetSpec(2, new LatentGrid(1, 8, 12), 64, 16, 1, 1, 5);
    Path config = SyntheticDataset.write(root, spec);
    Path cache = root.resolve("cache");
    assertEquals(List.of("item000_0096x0064_wan.safetensors", "item000_wan_te.safetensors",
        "item001_0096x0064_wan.safetensors", "item001_wan_te.safetensors"), names(cache));
    try (SafetensorsFile f = SafetensorsFile.open(cache.resolve("item001_0096x0064_wan.safetensors"))) {
      Map<String, String> md = new LinkedHashMap<>();
      md.put("architecture", "wan");
      md.put("width", "96");
      md.put("height", "64");
      md.put("format_version", "1.0.1");
      assertEquals(md, f.metadata());
      assertEquals(List.of("latents_1x8x12_bfloat16"), f.tensors().stream().map(TensorInfo::name).toList());
      assertEquals(DType.BF16, f.tensors().get(0).dtype());
      assertArrayEquals(new long[] {16, 1, 8, 12}, f.tensors().get(0).shape());
    }
    try (SafetensorsFile f = SafetensorsFile.open(cache.resolve("item001_wan_te.safetensors"))) {
      assertEquals(List.of("architecture", "caption1", "format_version"), List.copyOf(f.metadata().keySet()));
      assertEquals("wan", f.metadata().get("architecture"));
      TensorInfo t5 = f.info("varlen_t5_bfloat16");
      assertEquals(DType.BF16, t5.dtype());
      assertEquals(64, t5.shape()[1]);
      assertTrue(t5.shape()[0] >= 1 && t5.shape()[0] <= 16);
    }
    DatasetConfig loaded = DatasetConfig.load(config);
    ImageDatasetConfig d = assertInstanceOf(ImageDatasetConfig.class, loaded.datasets().get(0));
    assertEquals(cache.toAbsolutePath(), d.common().cacheDirectory());
    DiscoveredCaches found = CacheDiscovery.discover(loaded, new CacheRequirements(64, 16, false));
    assertEquals(2, found.batchesPerEpoch());
    assertEquals(List.of(), found.skipped());
  }

  @Test
  void writesVideoCachesWithFrameCounts() throws IOException {
    SyntheticDatasetSpec spec = new SyntheticDatasetSpec(3, new LatentGrid(3, 4, 4), 8, 5, 2, 3, 9);
    Path config = SyntheticDataset.write(root, spec);
    Path latent = root.resolve("cache/item002_00000-009_0032x0032_wan.safetensors");
    try (SafetensorsFile f = SafetensorsFile.open(latent)) {
      assertEquals("9", f.metadata().get("frame_count"));
      assertArrayEquals(new long[] {16, 3, 4, 4}, f.info("latents_3x4x4_bfloat16").shape());
    }
    DatasetConfig loaded = DatasetConfig.load(config);
    VideoDatasetConfig d = assertInstanceOf(VideoDatasetConfig.class, loaded.datasets().get(0));
    assertEquals(List.of(9), d.targetFrames());
    assertEquals(2, d.common().batchSize());
    assertEquals(3, d.common().numRepeats());
    DiscoveredCaches found = CacheDiscovery.discover(loaded, new CacheRequirements(8, 5, false));
    // 3 items × 3 repeats in one bucket, B = 2: ⌈9/2⌉
    assertEquals(5, found.batchesPerEpoch());
    assertEquals(new BucketKey(32, 32, 3), found.datasets().get(0).buckets().get(0).key());
  }

  @Test
  void isAFunctionOfItsSeed() throws IOException {
    SyntheticDatasetSpec spec = new SyntheticDatasetSpec(3, new LatentGrid(1, 4, 4), 8, 6, 1, 1, 77);
    SyntheticDataset.write(root.resolve("a"), spec);
    SyntheticDataset.write(root.resolve("b"), spec);
    SyntheticDataset.write(root.resolve("c"), new SyntheticDatasetSpec(3, new LatentGrid(1, 4, 4), 8, 6, 1, 1, 78));
    for (String name : names(root.resolve("a/cache"))) {
      byte[] a = Files.readAllBytes(root.resolve("a/cache").resolve(name));
      assertArrayEquals(a, Files.readAllBytes(root.resolve("b/cache").resolve(name)), name);
      if (name.endsWith("_0032x0032_wan.safetensors")) {
        assertFalse(java.util.Arrays.equals(a, Files.readAllBytes(root.resolve("c/cache").resolve(name))), name);
      }
    }
  }

  @Test
  void latentsAreSmoothAndDistinctPerItem() throws IOException {
    SyntheticDatasetSpec spec = SyntheticDatasetSpec.images(8, 64, 32, 3);
    Path config = SyntheticDataset.write(root, spec);
    DiscoveredCaches found = CacheDiscovery.discover(DatasetConfig.load(config), new CacheRequirements(64, 32, false));
    Set<Integer> lengths = new HashSet<>();
    float[] previous = null;
    for (CacheItem item : found.datasets().get(0).buckets().get(0).items()) {
      ItemArrays arrays = ItemArrays.read(item, new CacheRequirements(64, 32, false));
      float[] v = arrays.latents().values();
      assertTrue(neighbourCorrelation(v, 32) > 0.6, () -> item.itemKey() + " " + neighbourCorrelation(v, 32));
      if (previous != null) {
        assertTrue(meanAbsDifference(previous, v) > 0.3);
      }
      previous = v;
      lengths.add((int) arrays.context().shape()[0]);
    }
    assertTrue(lengths.size() > 1, lengths::toString);
  }

  /** Correlation of horizontally adjacent latent pixels (rows of {@code width}), over all channels. */
  private static double neighbourCorrelation(float[] v, int width) {
    double mean = 0;
    for (float x : v) {
      mean += x;
    }
    mean /= v.length;
    double cross = 0;
    double var = 0;
    for (int i = 0; i < v.length; i++) {
      var += (v[i] - mean) * (v[i] - mean);
      if ((i + 1) % width != 0) {
        cross += (v[i] - mean) * (v[i + 1] - mean);
      }
    }
    return cross / (var * (width - 1) / width);
  }

  private static double meanAbsDifference(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return sum / a.length;
  }
}
