package org.tsumugi.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The order of an epoch's batches: complete, bucket-pure, deterministic in (seed, epoch), and shuffled. */
class EpochPlanTest {
  private static final OptionalInt NO_BUCKETS = OptionalInt.empty();

  private static Bucket bucket(BucketKey key, String prefix, int distinct, int repeats) {
    List<CacheItem> items = new ArrayList<>();
    for (int i = 0; i < distinct; i++) {
      CacheItem item = new CacheItem(prefix + i, Path.of(prefix + i + "_wan.safetensors"),
          Path.of(prefix + i + "_wan_te.safetensors"), key);
      items.addAll(Collections.nCopies(repeats, item));
    }
    return new Bucket(key, items);
  }

  /** Dataset 0: 7 items ×2 repeats in one bucket and 3 in another, B = 4; dataset 1: 5 videos, B = 2. */
  private static DiscoveredCaches data() {
    CachedDataset images = new CachedDataset(0, Path.of("images"), MediaKind.IMAGE, 4,
        List.of(bucket(new BucketKey(32, 32, 1), "a", 7, 2), bucket(new BucketKey(48, 32, 1), "b", 3, 1)), Set.of());
    CachedDataset videos = new CachedDataset(1, Path.of("videos"), MediaKind.VIDEO, 2,
        List.of(bucket(new BucketKey(32, 32, 5), "v", 5, 1)), Set.of());
    return new DiscoveredCaches(List.of(images, videos), List.of());
  }

  private static List<List<String>> keys(EpochPlan plan) {
    return plan.batches().stream().map(b -> b.items().stream().map(CacheItem::itemKey).toList()).toList();
  }

  @Test
  void everyEpochServesEachItemCopyOnceInBucketPureBatches() {
    DiscoveredCaches data = data();
    for (int epoch = 1; epoch <= 5; epoch++) {
      EpochPlan plan = EpochPlan.of(data, 7, epoch, NO_BUCKETS);
      // ⌈14/4⌉ + ⌈3/4⌉ + ⌈5/2⌉ = 4 + 1 + 3
      assertEquals(8, plan.batchCount());
      assertEquals(data.batchesPerEpoch(), plan.batchCount());
      Map<String, Integer> served = new HashMap<>();
      Map<BucketKey, List<Integer>> sizes = new HashMap<>();
      for (PlannedBatch b : plan.batches()) {
        for (CacheItem item : b.items()) {
          assertEquals(b.bucket(), item.bucket());
          served.merge(item.itemKey(), 1, Integer::sum);
        }
        sizes.computeIfAbsent(b.bucket(), k -> new ArrayList<>()).add(b.size());
        assertTrue(b.timestepUniforms().isEmpty());
      }
      for (int i = 0; i < 7; i++) {
        assertEquals(2, served.get("a" + i));
      }
      for (String k : List.of("b0", "b1", "b2", "v0", "v1", "v2", "v3", "v4")) {
        assertEquals(1, served.get(k), k);
      }
      assertEquals(List.of(2, 4, 4, 4), sorted(sizes.get(new BucketKey(32, 32, 1))));
      assertEquals(List.of(3), sizes.get(new BucketKey(48, 32, 1)));
      assertEquals(List.of(1, 2, 2), sorted(sizes.get(new BucketKey(32, 32, 5))));
    }
  }

  private static List<Integer> sorted(List<Integer> values) {
    List<Integer> copy = new ArrayList<>(values);
    Collections.sort(copy);
    return copy;
  }

  @Test
  void orderIsAFunctionOfSeedAndEpoch() {
    DiscoveredCaches data = data();
    assertEquals(keys(EpochPlan.of(data, 7, 3, NO_BUCKETS)), keys(EpochPlan.of(data, 7, 3, NO_BUCKETS)));
    assertNotEquals(keys(EpochPlan.of(data, 7, 3, NO_BUCKETS)), keys(EpochPlan.of(data, 7, 4, NO_BUCKETS)));
    assertNotEquals(keys(EpochPlan.of(data, 7, 3, NO_BUCKETS)), keys(EpochPlan.of(data, 8, 3, NO_BUCKETS)));
  }

  @Test
  void shufflesItemsAndBatchesUniformly() {
    // one dataset, one bucket of 4 items, B = 1: the epoch's order is a permutation of 4; over 600 epochs each of
    // the 24 permutations is expected 25 times, and every one must show up
    CachedDataset d = new CachedDataset(0, Path.of("d"), MediaKind.IMAGE, 1,
        List.of(bucket(new BucketKey(32, 32, 1), "x", 4, 1)), Set.of());
    DiscoveredCaches data = new DiscoveredCaches(List.of(d), List.of());
    Map<List<List<String>>, Integer> seen = new HashMap<>();
    for (int epoch = 1; epoch <= 600; epoch++) {
      seen.merge(keys(EpochPlan.of(data, 123, epoch, NO_BUCKETS)), 1, Integer::sum);
    }
    assertEquals(24, seen.size());
    assertTrue(seen.values().stream().allMatch(n -> n >= 8 && n <= 50), seen::toString);
  }

  @Test
  void interleavesTheBatchesOfAllDatasets() {
    DiscoveredCaches data = data();
    Set<Integer> firstDataset = new HashSet<>();
    for (int epoch = 1; epoch <= 30; epoch++) {
      firstDataset.add(EpochPlan.of(data, 1, epoch, NO_BUCKETS).batch(0).datasetIndex());
    }
    assertEquals(Set.of(0, 1), firstDataset);
  }

  @Test
  void dealsAStratifiedTimestepPoolPerDataset() {
    DiscoveredCaches data = data();
    int n = 3;
    for (int epoch = 1; epoch <= 4; epoch++) {
      EpochPlan plan = EpochPlan.of(data, 99, epoch, OptionalInt.of(n));
      for (int dataset = 0; dataset < 2; dataset++) {
        int[] perStratum = new int[n];
        int used = 0;
        int batches = 0;
        for (PlannedBatch b : plan.batches()) {
          if (b.datasetIndex() != dataset) {
            continue;
          }
          double[] u = b.timestepUniforms().orElseThrow();
          assertEquals(b.size(), u.length);
          for (double v : u) {
            assertTrue(v >= 0 && v < 1);
            perStratum[(int) (v * n)]++;
          }
          used += u.length;
          batches++;
        }
        // the pool holds ⌈L_d·B/N⌉ values per stratum, of which L_d·B are dealt and only the real batch lengths used
        int batchSize = data.datasets().get(dataset).batchSize();
        int per = (batches * batchSize + n - 1) / n;
        int dropped = per * n - used;
        for (int count : perStratum) {
          assertTrue(count <= per && count >= per - dropped, () -> java.util.Arrays.toString(perStratum));
        }
      }
    }
    assertEquals(keys(EpochPlan.of(data, 99, 2, NO_BUCKETS)), keys(EpochPlan.of(data, 99, 2, OptionalInt.of(n))));
    assertTrue(EpochPlan.of(data, 99, 2, OptionalInt.of(1)).batch(0).timestepUniforms().isEmpty());
    assertArrayEquals(EpochPlan.of(data, 99, 2, OptionalInt.of(n)).batch(5).timestepUniforms().orElseThrow(),
        EpochPlan.of(data, 99, 2, OptionalInt.of(n)).batch(5).timestepUniforms().orElseThrow());
  }

  @Test
  void cursorWalksThroughEpochs() {
    DiscoveredCaches data = data();
    int l = data.batchesPerEpoch();
    DataCursor cursor = DataCursor.start();
    List<List<String>> walked = new ArrayList<>();
    for (int i = 0; i < 2 * l; i++) {
      walked.add(EpochPlan.of(data, 5, cursor.epoch(), NO_BUCKETS).batch(cursor).items().stream()
          .map(CacheItem::itemKey).toList());
      cursor = cursor.next(l);
    }
    assertEquals(new DataCursor(3, 0), cursor);
    List<List<String>> expected = new ArrayList<>(keys(EpochPlan.of(data, 5, 1, NO_BUCKETS)));
    expected.addAll(keys(EpochPlan.of(data, 5, 2, NO_BUCKETS)));
    assertEquals(expected, walked);
    assertThrows(IllegalArgumentException.class, () -> EpochPlan.of(data, 5, 1, NO_BUCKETS)
        .batch(new DataCursor(2, 0)));
  }

  @Test
  void cursorSurvivesSerialisation() throws IOException, ClassNotFoundException {
    DataCursor cursor = new DataCursor(4, 17);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(cursor);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(cursor, in.readObject());
    }
    assertEquals(new DataCursor(4, 18), cursor.next(19));
    assertEquals(new DataCursor(5, 0), cursor.next(18));
    assertThrows(IllegalArgumentException.class, () -> new DataCursor(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new DataCursor(1, -1));
    assertThrows(IllegalArgumentException.class, () -> EpochPlan.of(data(), 5, 0, NO_BUCKETS));
  }
}
