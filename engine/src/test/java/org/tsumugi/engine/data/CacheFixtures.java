package org.tsumugi.engine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tsumugi.config.dataset.DatasetConfig;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorData;

/**
 * Writes cache files in the reference's format straight through the io writer (names, keys and metadata spelled out
 * here from reference/wan-model.md §4.1–§4.2, independently of the production code's constants).
 */
final class CacheFixtures {
  static final int TEXT_DIM = 8;
  static final int TEXT_LEN = 6;
  static final CacheRequirements T2V = new CacheRequirements(TEXT_DIM, TEXT_LEN, false);

  private CacheFixtures() {}

  /** Values k/4 for small k: exact in bfloat16 and float16, distinct per (seed, index). */
  static float[] values(int n, int seed) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = ((i * 7 + seed * 13) % 61 - 30) / 4f;
    }
    return v;
  }

  static TensorData tensor(String key, DType dtype, int seed, long... shape) {
    int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    return TensorData.fromFloats(key, values(n, seed), shape, dtype);
  }

  static Map<String, String> latentMetadata(int width, int height) {
    Map<String, String> md = new LinkedHashMap<>();
    md.put("architecture", "wan");
    md.put("width", Integer.toString(width));
    md.put("height", Integer.toString(height));
    md.put("format_version", "1.0.1");
    return md;
  }

  static Map<String, String> textMetadata(String caption) {
    Map<String, String> md = new LinkedHashMap<>();
    md.put("architecture", "wan");
    md.put("caption1", caption);
    md.put("format_version", "1.0.1");
    return md;
  }

  static Path write(Path file, Map<String, String> metadata, TensorData... tensors) throws IOException {
    SafetensorsWriter.write(file, metadata, List.of(tensors));
    return file;
  }

  /** The main latent of an image item: latents_1x{h}x{w}_bfloat16 [16, 1, h, w]. */
  static TensorData imageLatents(int h, int w, int seed) {
    return tensor("latents_1x" + h + "x" + w + "_bfloat16", DType.BF16, seed, 16, 1, h, w);
  }

  static TensorData t5(int rows, int seed) {
    return tensor("varlen_t5_bfloat16", DType.BF16, seed, rows, TEXT_DIM);
  }

  /**
   * An image item {@code key} with latent h×w (original size 8w×8h) and a text cache of {@code rows} rows: files
   * {@code {key}_{W:04d}x{H:04d}_wan.safetensors} and {@code {key}_wan_te.safetensors}.
   */
  static Path imageItem(Path dir, String key, int h, int w, int rows, int seed) throws IOException {
    String size = String.format("%04dx%04d", 8 * w, 8 * h);
    Path latent = write(dir.resolve(key + "_" + size + "_wan.safetensors"), latentMetadata(8 * w, 8 * h),
        imageLatents(h, w, seed));
    write(dir.resolve(key + "_wan_te.safetensors"), textMetadata("caption of " + key), t5(rows, seed));
    return latent;
  }

  /** A video item of {@code frames} pixel frames: {@code {key}_00000-{frames:03d}_{W:04d}x{H:04d}_wan.safetensors}. */
  static Path videoItem(Path dir, String key, int frames, int h, int w, int seed) throws IOException {
    int f = (frames - 1) / 4 + 1;
    Map<String, String> md = latentMetadata(8 * w, 8 * h);
    md.put("frame_count", Integer.toString(frames));
    String name = String.format("%s_00000-%03d_%04dx%04d_wan.safetensors", key, frames, 8 * w, 8 * h);
    Path latent = write(dir.resolve(name), md,
        tensor("latents_" + f + "x" + h + "x" + w + "_bfloat16", DType.BF16, seed, 16, f, h, w));
    write(dir.resolve(key + "_wan_te.safetensors"), textMetadata("caption of " + key), t5(3, seed));
    return latent;
  }

  /** A dataset config with one [[datasets]] entry per directory, each with its own TOML lines appended. */
  static DatasetConfig config(Path dir, String general, List<String> datasets) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("[general]");
    lines.add(general);
    for (String d : datasets) {
      lines.add("[[datasets]]");
      lines.add(d);
    }
    Path file = dir.resolve("dataset-" + System.nanoTime() + ".toml");
    Files.write(file, lines);
    return DatasetConfig.load(file);
  }

  static String imageDataset(Path cacheDir, String extra) {
    return "image_directory = \"" + cacheDir + "\"\ncache_directory = \"" + cacheDir + "\"\n" + extra;
  }

  static String videoDataset(Path cacheDir, String extra) {
    return "video_directory = \"" + cacheDir + "\"\ncache_directory = \"" + cacheDir + "\"\n" + extra;
  }
}
