package org.tsumugi.engine.data;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.config.dataset.DatasetConfig;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsFile;
import org.tsumugi.engine.io.TensorData;

/**
 * Random truncations and byte flips of a latent cache or its text cache (fixed seed): discovering and loading the
 * dataset either succeeds or fails with a {@link CacheFileException}; nothing else escapes and nothing hangs.
 */
class CacheFuzzTest {
  private static final int CASES = 1000;
  private static final CacheRequirements REQUIREMENTS = new CacheRequirements(CacheFixtures.TEXT_DIM, 6, false);

  @TempDir Path dir;

  @Test
  void corruptedCachesAreLoadedOrRefusedNeverCrash() throws IOException {
    Path latent = CacheFixtures.write(dir.resolve("x_0016x0016_wan.safetensors"), CacheFixtures.latentMetadata(16, 16),
        CacheFixtures.tensor("latents_2x2x2_bfloat16", DType.BF16, 1, 16, 2, 2, 2),
        CacheFixtures.tensor("latents_image_2x2x2_bfloat16", DType.BF16, 2, 20, 2, 2, 2),
        TensorData.fromLongs("f_indices_int32", new long[] {0, 3}, new long[] {2}, DType.I32));
    Path text = CacheFixtures.write(dir.resolve("x_wan_te.safetensors"), CacheFixtures.textMetadata("fuzz"),
        CacheFixtures.t5(3, 4));
    byte[][] valid = {Files.readAllBytes(latent), Files.readAllBytes(text)};
    int[] headerEnd = {dataOffset(latent), dataOffset(text)};
    Path[] files = {latent, text};
    DatasetConfig config = CacheFixtures.config(dir, "", List.of(CacheFixtures.imageDataset(dir, "")));
    SplittableRandom random = new SplittableRandom(20250301);
    int[] outcome = new int[2];
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int i = 0; i < CASES; i++) {
        int which = random.nextInt(2);
        replace(files[which], mutate(valid[which], headerEnd[which], random));
        outcome[loadOrRefuse(config)]++;
        replace(files[which], valid[which]);
      }
    });
    assertTrue(outcome[0] > 0 && outcome[1] > CASES / 4, () -> "loaded " + outcome[0] + ", refused " + outcome[1]);
  }

  /** A new file rather than an overwrite: truncating a file in place makes ext4 flush it, which is slow. */
  private static void replace(Path file, byte[] bytes) throws IOException {
    Files.delete(file);
    Files.write(file, bytes);
  }

  private static int dataOffset(Path file) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      return (int) f.dataOffset();
    }
  }

  private static byte[] mutate(byte[] valid, int headerEnd, SplittableRandom random) {
    if (random.nextInt(4) == 0) {
      return Arrays.copyOf(valid, random.nextInt(valid.length));
    }
    byte[] bytes = valid.clone();
    int flips = 1 + random.nextInt(3);
    for (int f = 0; f < flips; f++) {
      // mostly in the header, where a flip changes keys, shapes, dtypes and metadata
      int at = random.nextInt(10) < 8 ? random.nextInt(headerEnd) : random.nextInt(bytes.length);
      bytes[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (bytes[at] ^ (1 << random.nextInt(8)));
    }
    return bytes;
  }

  /** 0 = discovered and every batch loaded, 1 = refused with a CacheFileException. */
  private static int loadOrRefuse(DatasetConfig config) {
    try {
      DiscoveredCaches found = CacheDiscovery.discover(config, REQUIREMENTS);
      for (PlannedBatch batch : EpochPlan.of(found, 1, 1, OptionalInt.of(2)).batches()) {
        LoadedBatch.load(batch, REQUIREMENTS);
      }
      return 0;
    } catch (CacheFileException e) {
      return 1;
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("a corrupt cache escaped as " + e, e);
    }
  }
}
