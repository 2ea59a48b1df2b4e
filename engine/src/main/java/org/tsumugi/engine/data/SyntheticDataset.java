package org.tsumugi.engine.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorData;
import org.tsumugi.engine.train.RandomStream;

/**
 * Writes a small dataset of cache files in the reference's exact format (reference/wan-model.md §4.1–§4.2: names,
 * keys, bfloat16 tensors, metadata) and its dataset config ({@code [general]} + {@code [[datasets]]}, §4.4), for the
 * embedded default run and for tests. Values are a function of the seed.
 *
 * <p>Each latent channel is a smooth wave with its own amplitude, frequencies and phase, plus a little noise; each
 * item's T5 rows scatter around an item-specific vector. A LoRA trained on it can learn the pairs, so its loss falls.
 *
 * <p>Layout under the directory: {@code dataset.toml}, {@code cache/} (the cache files) and an empty
 * {@code media/} (the image or video directory the config names; training reads only the caches).
 */
public final class SyntheticDataset {
  public static final String CONFIG_FILE = "dataset.toml";
  public static final String CACHE_DIRECTORY = "cache";
  public static final String MEDIA_DIRECTORY = "media";
  private static final float NOISE = 0.1f;
  private static final float TEXT_SPREAD = 0.3f;

  private SyntheticDataset() {}

  /** Writes the dataset into {@code directory} (created if needed) and returns the dataset config's path. */
  public static Path write(Path directory, SyntheticDatasetSpec spec) throws IOException {
    Path cache = Files.createDirectories(directory.resolve(CACHE_DIRECTORY));
    Path media = Files.createDirectories(directory.resolve(MEDIA_DIRECTORY));
    for (int i = 0; i < spec.items(); i++) {
      String key = String.format("item%03d", i);
      writeLatentCache(cache.resolve(latentFileName(key, spec)), spec, i);
      writeTextCache(cache.resolve(key + CacheFileName.TEXT_SUFFIX), spec, i);
    }
    Path config = directory.resolve(CONFIG_FILE);
    Files.writeString(config, datasetToml(spec, media.toAbsolutePath(), cache.toAbsolutePath()),
        StandardCharsets.UTF_8);
    return config;
  }

  static String latentFileName(String itemKey, SyntheticDatasetSpec spec) {
    String size = String.format("%04dx%04d", spec.pixelWidth(), spec.pixelHeight());
    String frames = spec.video() ? String.format("_%05d-%03d", 0, spec.pixelFrames()) : "";
    return itemKey + frames + "_" + size + CacheFileName.LATENT_SUFFIX;
  }

  private static void writeLatentCache(Path file, SyntheticDatasetSpec spec, int item) throws IOException {
    LatentGrid g = spec.grid();
    float[] values = latentValues(spec, item);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("architecture", CacheTensors.ARCHITECTURE);
    metadata.put("width", Integer.toString(spec.pixelWidth()));
    metadata.put("height", Integer.toString(spec.pixelHeight()));
    metadata.put("format_version", "1.0.1");
    if (spec.video()) {
      metadata.put("frame_count", Integer.toString(spec.pixelFrames()));
    }
    SafetensorsWriter.write(file, metadata, List.of(TensorData.fromFloats("latents_" + g + "_bfloat16", values,
        g.shape(CacheRequirements.LATENT_CHANNELS), DType.BF16)));
  }

  /** Channel c: a_c·sin(2π(kx·x/W + ky·y/H + kt·f/F) + φ_c) + noise, parameters drawn per item and channel. */
  static float[] latentValues(SyntheticDatasetSpec spec, int item) {
    LatentGrid g = spec.grid();
    RandomStream random = stream(spec.seed(), item, 0);
    int plane = g.frames() * g.height() * g.width();
    float[] values = new float[CacheRequirements.LATENT_CHANNELS * plane];
    for (int c = 0; c < CacheRequirements.LATENT_CHANNELS; c++) {
      double amplitude = 0.5 + random.nextDouble();
      int kx = 1 + random.nextInt(3);
      int ky = 1 + random.nextInt(3);
      double kt = random.nextDouble();
      double phase = 2 * Math.PI * random.nextDouble();
      int at = c * plane;
      for (int f = 0; f < g.frames(); f++) {
        for (int y = 0; y < g.height(); y++) {
          for (int x = 0; x < g.width(); x++) {
            double wave = (double) kx * x / g.width() + (double) ky * y / g.height() + kt * f / g.frames();
            values[at++] = (float) (amplitude * Math.sin(2 * Math.PI * wave + phase)
                + NOISE * random.nextGaussian());
          }
        }
      }
    }
    return values;
  }

  private static void writeTextCache(Path file, SyntheticDatasetSpec spec, int item) throws IOException {
    RandomStream random = stream(spec.seed(), item, 1);
    int length = 1 + random.nextInt(spec.textLen());
    float[] center = new float[spec.textDim()];
    random.fillGaussian(center);
    float[] rows = new float[length * spec.textDim()];
    random.fillGaussian(rows);
    for (int i = 0; i < rows.length; i++) {
      rows[i] = center[i % spec.textDim()] + TEXT_SPREAD * rows[i];
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("architecture", CacheTensors.ARCHITECTURE);
    metadata.put("caption1", "synthetic item " + item);
    metadata.put("format_version", "1.0.1");
    SafetensorsWriter.write(file, metadata, List.of(TensorData.fromFloats("varlen_t5_bfloat16", rows,
        new long[] {length, spec.textDim()}, DType.BF16)));
  }

  static String datasetToml(SyntheticDatasetSpec spec, Path media, Path cache) {
    StringBuilder toml = new StringBuilder();
    toml.append("# Synthetic Wan dataset written by Tsumugi: ").append(spec.items()).append(" items, latents ")
        .append(spec.grid()).append(", T5 rows of width ").append(spec.textDim()).append(", seed ")
        .append(spec.seed()).append('\n');
    toml.append("[general]\n")
        .append("resolution = [").append(spec.pixelWidth()).append(", ").append(spec.pixelHeight()).append("]\n")
        .append("batch_size = ").append(spec.batchSize()).append('\n')
        .append("num_repeats = ").append(spec.numRepeats()).append('\n')
        .append("enable_bucket = false\n\n");
    toml.append("[[datasets]]\n");
    if (spec.video()) {
      toml.append("video_directory = ").append(tomlString(media)).append('\n')
          .append("target_frames = [").append(spec.pixelFrames()).append("]\n")
          .append("frame_extraction = \"head\"\n");
    } else {
      toml.append("image_directory = ").append(tomlString(media)).append('\n');
    }
    toml.append("cache_directory = ").append(tomlString(cache)).append('\n');
    return toml.toString();
  }

  /** A TOML basic string: backslashes, quotes and control characters escaped. */
  static String tomlString(Path path) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : path.toString().toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7F) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** An independent stream per (seed, item, part): the SplitMix64 finaliser chained over the three words. */
  private static RandomStream stream(long seed, int item, int part) {
    long h = mix64(seed ^ 0x5DEECE66DL);
    h = mix64(h ^ mix64(item + 0x9E3779B97F4A7C15L));
    return RandomStream.fromKey(mix64(h ^ mix64(part + 0x3C6EF372FE94F82AL)));
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
