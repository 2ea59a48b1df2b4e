package org.tsumugi.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tsumugi.engine.data.CacheFixtures.T2V;
import static org.tsumugi.engine.data.CacheFixtures.config;
import static org.tsumugi.engine.data.CacheFixtures.imageDataset;
import static org.tsumugi.engine.data.CacheFixtures.imageItem;
import static org.tsumugi.engine.data.CacheFixtures.videoDataset;
import static org.tsumugi.engine.data.CacheFixtures.videoItem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.engine.io.DType;

/** Finding cache files, pairing them, bucketing and counting batches (reference/wan-model.md §4.1, §4.5). */
class CacheDiscoveryTest {
  @TempDir Path root;

  /** Five 32×32 items a0..a4, three 48×32 items b0..b2, and c0 whose text cache is missing. */
  private Path imageCaches() throws IOException {
    Path dir = Files.createDirectories(root.resolve("images"));
    for (int i = 0; i < 5; i++) {
      imageItem(dir, "a" + i, 4, 4, 1 + i % 3, i);
    }
    for (int i = 0; i < 3; i++) {
      imageItem(dir, "b" + i, 4, 6, 2, 10 + i);
    }
    CacheFixtures.write(dir.resolve("c0_0032x0032_wan.safetensors"), CacheFixtures.latentMetadata(32, 32),
        CacheFixtures.imageLatents(4, 4, 20));
    Files.writeString(dir.resolve("notes.txt"), "not a cache");
    Files.copy(dir.resolve("a0_0032x0032_wan.safetensors"), dir.resolve(".hidden_0032x0032_wan.safetensors"));
    return dir;
  }

  @Test
  void groupsItemsIntoSortedBucketsWithRepeats() throws IOException {
    Path dir = imageCaches();
    DiscoveredCaches found = CacheDiscovery.discover(
        config(root, "batch_size = 4", List.of(imageDataset(dir, "num_repeats = 2"))), T2V);
    CachedDataset d = found.datasets().get(0);
    assertEquals(List.of(new BucketKey(32, 32, 1), new BucketKey(48, 32, 1)),
        d.buckets().stream().map(Bucket::key).toList());
    Bucket small = d.buckets().get(0);
    assertEquals(10, small.items().size());
    for (int i = 0; i < 5; i++) {
      String key = "a" + i;
      assertEquals(2, Collections.frequency(small.items().stream().map(CacheItem::itemKey).toList(), key));
    }
    CacheItem a0 = small.items().get(0);
    assertEquals(dir.resolve("a0_0032x0032_wan.safetensors"), a0.latentFile());
    assertEquals(dir.resolve("a0_wan_te.safetensors"), a0.textFile());
    assertEquals(6, d.buckets().get(1).items().size());
    // ⌈10/4⌉ + ⌈6/4⌉ = 3 + 2
    assertEquals(5, d.batchCount());
    assertEquals(5, found.batchesPerEpoch());
    assertEquals(16, d.itemCount());
  }

  @Test
  void skipsItemsWithoutTextCacheAndReportsThem() throws IOException {
    Path dir = imageCaches();
    DiscoveredCaches found = CacheDiscovery.discover(config(root, "", List.of(imageDataset(dir, ""))), T2V);
    assertEquals(List.of(new SkippedItem(dir.resolve("c0_0032x0032_wan.safetensors"),
        dir.resolve("c0_wan_te.safetensors"))), found.skipped());
    assertTrue(found.skipped().get(0).message().contains("c0_wan_te.safetensors"));
    // batch_size 1: one batch per item
    assertEquals(8, found.batchesPerEpoch());
  }

  @Test
  void bucketsVideosByFrameCount() throws IOException {
    Path dir = Files.createDirectories(root.resolve("videos"));
    videoItem(dir, "v0", 17, 4, 4, 1);
    videoItem(dir, "v1", 17, 4, 4, 2);
    videoItem(dir, "v2", 9, 4, 4, 3);
    videoItem(dir, "v3", 9, 6, 4, 4);
    DiscoveredCaches found = CacheDiscovery.discover(
        config(root, "batch_size = 2", List.of(videoDataset(dir, "target_frames = [9, 17]"))), T2V);
    CachedDataset d = found.datasets().get(0);
    assertEquals(MediaKind.VIDEO, d.kind());
    assertEquals(List.of(new BucketKey(32, 32, 3), new BucketKey(32, 32, 5), new BucketKey(32, 48, 3)),
        d.buckets().stream().map(Bucket::key).toList());
    assertEquals(List.of("v2", "v0", "v1", "v3"),
        d.buckets().stream().flatMap(b -> b.items().stream()).map(CacheItem::itemKey).toList());
    assertEquals(3, d.batchCount());
  }

  @Test
  void countsBatchesOverEveryDataset() throws IOException {
    Path images = imageCaches();
    Path videos = Files.createDirectories(root.resolve("videos"));
    for (int i = 0; i < 3; i++) {
      videoItem(videos, "v" + i, 5, 4, 4, i);
    }
    DiscoveredCaches found = CacheDiscovery.discover(config(root, "batch_size = 3",
        List.of(imageDataset(images, ""), videoDataset(videos, "num_repeats = 3\nbatch_size = 2"))), T2V);
    assertEquals(List.of(0, 1), found.datasets().stream().map(CachedDataset::index).toList());
    // images: ⌈5/3⌉ + ⌈3/3⌉ = 3; videos: ⌈9/2⌉ = 5
    assertEquals(3, found.datasets().get(0).batchCount());
    assertEquals(5, found.datasets().get(1).batchCount());
    assertEquals(8, found.batchesPerEpoch());
  }

  @Test
  void refusesADatasetWhoseCachesHoldDifferentEntries() throws IOException {
    Path dir = Files.createDirectories(root.resolve("mixed"));
    imageItem(dir, "a", 4, 4, 2, 1);
    CacheFixtures.write(dir.resolve("b_0032x0032_wan.safetensors"), CacheFixtures.latentMetadata(32, 32),
        CacheFixtures.imageLatents(4, 4, 2), CacheFixtures.tensor("clip_bfloat16", DType.F16, 3, 257, 1280));
    CacheFixtures.write(dir.resolve("b_wan_te.safetensors"), CacheFixtures.textMetadata("b"), CacheFixtures.t5(2, 2));
    CacheFileException e = assertThrows(CacheFileException.class,
        () -> CacheDiscovery.discover(config(root, "", List.of(imageDataset(dir, ""))), T2V));
    assertTrue(e.getMessage().contains("b_0032x0032_wan.safetensors") && e.getMessage().contains("[latents, clip]"),
        e.getMessage());
  }

  @Test
  void refusesAMissingCacheDirectory() throws IOException {
    Path missing = root.resolve("nowhere");
    CacheFileException e = assertThrows(CacheFileException.class,
        () -> CacheDiscovery.discover(config(root, "", List.of(imageDataset(missing, ""))), T2V));
    assertEquals(missing, e.file());
  }

  @Test
  void refusesWhenNoItemIsUsable() throws IOException {
    Path dir = Files.createDirectories(root.resolve("lonely"));
    CacheFixtures.write(dir.resolve("c0_0032x0032_wan.safetensors"), CacheFixtures.latentMetadata(32, 32),
        CacheFixtures.imageLatents(4, 4, 20));
    CacheFileException e = assertThrows(CacheFileException.class,
        () -> CacheDiscovery.discover(config(root, "", List.of(imageDataset(dir, ""))), T2V));
    assertTrue(e.getMessage().contains("no dataset has a usable cache item"), e.getMessage());
  }

  @Test
  void namesTheFaultyFileOfADataset() throws IOException {
    Path dir = imageCaches();
    Path badText = dir.resolve("b1_wan_te.safetensors");
    CacheFixtures.write(badText, CacheFixtures.textMetadata("b1"),
        CacheFixtures.tensor("varlen_t5_bfloat16", DType.BF16, 1, 2, 4096));
    CacheFileException e = assertThrows(CacheFileException.class,
        () -> CacheDiscovery.discover(config(root, "", List.of(imageDataset(dir, ""))), T2V));
    assertEquals(badText, e.file());
    assertTrue(e.getMessage().contains("text_dim is 8") && e.getMessage().contains("dataset 0"), e.getMessage());
    Files.write(badText, new byte[] {1, 2, 3});
    e = assertThrows(CacheFileException.class,
        () -> CacheDiscovery.discover(config(root, "", List.of(imageDataset(dir, ""))), T2V));
    assertEquals(badText, e.file());
    CacheFixtures.write(dir.resolve("b1_wan_te.safetensors"), CacheFixtures.textMetadata("b1"),
        CacheFixtures.t5(2, 1));
    Path wrongArch = dir.resolve("a3_0032x0032_wan.safetensors");
    CacheFixtures.write(wrongArch, Map.of("architecture", "flux"), CacheFixtures.imageLatents(4, 4, 3));
    e = assertThrows(CacheFileException.class,
        () -> CacheDiscovery.discover(config(root, "", List.of(imageDataset(dir, ""))), T2V));
    assertEquals(wrongArch, e.file());
  }
}
