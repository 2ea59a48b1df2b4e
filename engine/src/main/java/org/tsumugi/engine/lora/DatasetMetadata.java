package org.tsumugi.engine.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.tsumugi.config.dataset.DatasetCommon;
import org.tsumugi.config.dataset.DatasetConfig;
import org.tsumugi.config.dataset.DatasetSpec;
import org.tsumugi.config.dataset.ImageDatasetConfig;
import org.tsumugi.config.dataset.VideoDatasetConfig;

/**
 * The per-dataset dictionaries the reference joins into {@code ss_datasets} (its datasets' {@code get_metadata()}):
 * common keys, then the image or video keys, directories as base names.
 */
final class DatasetMetadata {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DatasetMetadata() {}

  static List<Map<String, Object>> of(DatasetConfig config) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (DatasetSpec spec : config.datasets()) {
      Map<String, Object> m = common(spec.common());
      if (spec instanceof ImageDatasetConfig image) {
        baseName(m, "image_directory", image.imageDirectory());
        baseName(m, "image_jsonl_file", image.imageJsonlFile());
        baseName(m, "control_directory", image.controlDirectory());
      } else if (spec instanceof VideoDatasetConfig video) {
        baseName(m, "video_directory", video.videoDirectory());
        baseName(m, "video_jsonl_file", video.videoJsonlFile());
        baseName(m, "control_directory", video.controlDirectory());
        m.put("frame_extraction", video.frameExtraction().optionName());
        m.put("frame_stride", video.frameStride());
        m.put("frame_sample", video.frameSample());
        m.put("target_frames", List.copyOf(video.targetFrames()));
        m.put("max_frames", video.maxFrames());
        m.put("source_fps", video.sourceFps().isPresent() ? video.sourceFps().getAsDouble() : null);
      }
      m.put("has_control", hasControl(spec));
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> common(DatasetCommon c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("resolution", List.of(c.resolution().width(), c.resolution().height()));
    m.put("caption_extension", c.captionExtension().orElse(null));
    m.put("batch_size_per_device", c.batchSize());
    m.put("num_repeats", c.numRepeats());
    m.put("enable_bucket", c.enableBucket());
    m.put("bucket_no_upscale", c.bucketNoUpscale());
    return m;
  }

  /**
   * The reference's {@code datasource.has_control}: a directory dataset has control media when it names a
   * control_directory; a JSONL dataset when one of its items names them ({@code control_path}, and for images also
   * {@code control_path_<n>}), whatever control_directory says. A JSONL file that cannot be read (Tsumugi can train
   * from the caches alone; the reference would stop) counts as without control media.
   */
  static boolean hasControl(DatasetSpec spec) {
    if (spec instanceof ImageDatasetConfig image && image.imageJsonlFile().isPresent()) {
      return anyItem(image.imageJsonlFile().get(), key -> key.equals("control_path")
          || key.startsWith("control_path_"));
    }
    if (spec instanceof VideoDatasetConfig video && video.videoJsonlFile().isPresent()) {
      return anyItem(video.videoJsonlFile().get(), key -> key.equals("control_path"));
    }
    return spec.controlDirectory().isPresent();
  }

  private static boolean anyItem(Path jsonl, Predicate<String> controlKey) {
    try (BufferedReader lines = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode item = JSON.readTree(line);
        for (Iterator<String> keys = item.fieldNames(); keys.hasNext(); ) {
          if (controlKey.test(keys.next())) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static void baseName(Map<String, Object> m, String key, Optional<Path> path) {
    path.ifPresent(p -> m.put(key, p.getFileName() == null ? "" : p.getFileName().toString()));
  }
}
