package org.tsumugi.engine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.tsumugi.config.dataset.DatasetConfig;
import org.tsumugi.config.dataset.DatasetSpec;

/**
 * Finds the cache files of each dataset as the reference does at train time (reference/wan-model.md §4.1, §4.5):
 * every {@code *_wan.safetensors} in the cache directory, its name parsed for the item key, paired with
 * {@code {item_key}_wan_te.safetensors} (an item without one is skipped and reported), grouped into buckets and
 * repeated {@code num_repeats} times. Every file's header is checked here, before training starts.
 *
 * <p>Deviations, for determinism and safety: files are taken in name order (the reference's glob order is the
 * file system's); the bucket is read from the latent's shape rather than recomputed from the original size and the
 * dataset's resolution (the two agree whenever the reference can stack a batch; where they would not, the reference
 * fails inside torch.stack); a dataset whose caches hold different entries (e.g. some with CLIP features, some
 * without) is refused rather than failing mid-epoch.
 */
public final class CacheDiscovery {
  private CacheDiscovery() {}

  /**
   * Discovers every dataset of {@code config}.
   *
   * @throws CacheFileException naming the file or directory at fault, or the first cache directory if no dataset
   *     has a usable item
   */
  public static DiscoveredCaches discover(DatasetConfig config, CacheRequirements requirements)
      throws CacheFileException {
    List<CachedDataset> datasets = new ArrayList<>();
    List<SkippedItem> skipped = new ArrayList<>();
    for (int i = 0; i < config.datasets().size(); i++) {
      datasets.add(discover(config.datasets().get(i), i, requirements, skipped));
    }
    DiscoveredCaches found = new DiscoveredCaches(datasets, skipped);
    if (found.batchesPerEpoch() == 0) {
      Path where = datasets.isEmpty() ? Path.of("") : datasets.get(0).cacheDirectory();
      throw new CacheFileException(where, "no dataset has a usable cache item (" + skipped.size() + " latent caches"
          + " without a text-encoder cache); cache latents and text-encoder outputs first");
    }
    return found;
  }

  /** Discovers one dataset; items without a text-encoder cache are added to {@code skipped}. */
  public static CachedDataset discover(DatasetSpec spec, int index, CacheRequirements requirements,
      List<SkippedItem> skipped) throws CacheFileException {
    Path directory = spec.common().cacheDirectory();
    Map<BucketKey, List<CacheItem>> buckets = new TreeMap<>();
    Inspected first = null;
    for (Path latentFile : latentFiles(directory, index)) {
      Inspected found;
      try {
        CacheFileName name = CacheFileName.parse(latentFile, MediaKind.of(spec));
        Path textFile = directory.resolve(name.textFileName());
        if (!Files.exists(textFile)) {
          skipped.add(new SkippedItem(latentFile, textFile));
          continue;
        }
        found = inspect(name, latentFile, textFile, requirements);
        if (first == null) {
          first = found;
        }
        first.requireSameEntries(found);
      } catch (CacheFileException e) {
        throw e.in("dataset " + index + " of the dataset config");
      }
      buckets.computeIfAbsent(found.item.bucket(), k -> new ArrayList<>())
          .addAll(Collections.nCopies(spec.common().numRepeats(), found.item));
    }
    List<Bucket> sorted = buckets.entrySet().stream().map(e -> new Bucket(e.getKey(), e.getValue())).toList();
    return new CachedDataset(index, directory, MediaKind.of(spec), spec.common().batchSize(), sorted,
        first == null ? Set.of() : first.entries);
  }

  private record Inspected(CacheItem item, Set<CacheEntry> entries) {
    void requireSameEntries(Inspected other) throws CacheFileException {
      if (!entries.equals(other.entries)) {
        throw new CacheFileException(other.item.latentFile(), "holds " + names(other.entries) + " but "
            + item.latentFile() + " holds " + names(entries) + "; the caches of a dataset must all be made with the"
            + " same options (--i2v, --clip, control videos): re-cache the dataset");
      }
    }
  }

  /** Opens and checks both cache files of an item (headers only). */
  private static Inspected inspect(CacheFileName name, Path latentFile, Path textFile,
      CacheRequirements requirements) throws CacheFileException {
    try (WanLatentCache latent = WanLatentCache.open(latentFile, requirements)) {
      latent.checkName(name);
      WanTextCache.open(textFile, requirements).close();
      return new Inspected(new CacheItem(name.itemKey(), latentFile, textFile, BucketKey.of(latent.grid())),
          latent.entries());
    }
  }

  /** The {@code *_wan.safetensors} files of a directory in name order (hidden files excluded, as glob's * does). */
  static List<Path> latentFiles(Path directory, int datasetIndex) throws CacheFileException {
    if (!Files.isDirectory(directory)) {
      throw new CacheFileException(directory, "cache_directory of dataset " + datasetIndex
          + " does not exist or is not a directory");
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(p -> {
        String n = p.getFileName().toString();
        return n.endsWith(CacheFileName.LATENT_SUFFIX) && !n.startsWith(".") && Files.isRegularFile(p);
      }).sorted().toList();
    } catch (IOException e) {
      throw new CacheFileException(directory, "cannot list cache_directory of dataset " + datasetIndex + ": " + e, e);
    }
  }

  private static List<String> names(Set<CacheEntry> entries) {
    return entries.stream().sorted().map(CacheEntry::batchName).toList();
  }
}
