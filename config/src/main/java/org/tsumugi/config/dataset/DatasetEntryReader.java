package org.tsumugi.config.dataset;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Reads one [[datasets]] entry, image or video, falling back to [general] and the reference's defaults. */
final class DatasetEntryReader {
  private static final Resolution DEFAULT_RESOLUTION = new Resolution(960, 544);
  /** Wan's VAE packs 4 frames per latent frame after the first (reference/wan-model.md §4.4). */
  private static final int VAE_FRAME_STRIDE = 4;

  private final DatasetSection section;
  private final DatasetGeneral general;

  DatasetEntryReader(DatasetSection section, DatasetGeneral general) {
    this.section = section;
    this.general = general;
  }

  DatasetSpec read() {
    boolean video = section.has("video_directory") || section.has("video_jsonl_file");
    if (video) {
      section.refuseUnknown(DatasetConfigReader.VIDEO_KEYS, explain(DatasetConfigReader.IMAGE_KEYS,
          "an image dataset key; this is a video dataset (it has video_directory or video_jsonl_file)."));
      return video();
    }
    if (!section.has("image_directory") && !section.has("image_jsonl_file")) {
      section.report("image_directory", section.name() + " needs one of image_directory, image_jsonl_file,"
          + " video_directory, video_jsonl_file");
    }
    section.refuseUnknown(DatasetConfigReader.IMAGE_KEYS, explain(DatasetConfigReader.VIDEO_KEYS,
        "a video dataset key; this is an image dataset (it has no video_directory or video_jsonl_file)."));
    return image();
  }

  private ImageDatasetConfig image() {
    Optional<Path> directory = path("image_directory");
    Optional<Path> jsonl = path("image_jsonl_file");
    return new ImageDatasetConfig(common(directory, jsonl, "image"), directory, jsonl, path("control_directory"),
        section.bool("multiple_target").orElse(false), section.integer("fp_latent_window_size", 1).orElse(9),
        section.ints("fp_1f_clean_indices", 0), optInt(section.integer("fp_1f_target_index", 0)),
        section.bool("fp_1f_no_post").orElse(false), section.bool("no_resize_control").orElse(false),
        section.resolution("control_resolution"));
  }

  private VideoDatasetConfig video() {
    Optional<Path> directory = path("video_directory");
    Optional<Path> jsonl = path("video_jsonl_file");
    int frameSample = section.integer("frame_sample", 1).orElse(1);
    FrameExtraction extraction = frameExtraction();
    if (extraction == FrameExtraction.UNIFORM && frameSample == 1) {
      extraction = FrameExtraction.HEAD;
    }
    OptionalDouble fps = section.number("source_fps").map(OptionalDouble::of).orElse(OptionalDouble.empty());
    fps.ifPresent(v -> {
      if (!(v > 0)) {
        section.report("source_fps", "source_fps in " + section.name() + " must be greater than 0, got " + v);
      }
    });
    return new VideoDatasetConfig(common(directory, jsonl, "video"), directory, jsonl, path("control_directory"),
        targetFrames(), extraction, section.integer("frame_stride", 1).orElse(1), frameSample,
        section.integer("max_frames", 1).orElse(129), fps, section.integer("fp_latent_window_size", 1).orElse(9));
  }

  private DatasetCommon common(Optional<Path> directory, Optional<Path> jsonl, String kind) {
    if (directory.isPresent() && jsonl.isPresent()) {
      section.report(kind + "_jsonl_file", section.name() + " gives both " + kind + "_directory and " + kind
          + "_jsonl_file; give one");
    }
    Optional<Path> cache = path("cache_directory").or(() -> directory);
    if (cache.isEmpty() && jsonl.isPresent()) {
      section.report(kind + "_jsonl_file", section.name() + " needs cache_directory: with " + kind
          + "_jsonl_file there is no directory to default to");
    }
    boolean bucket = section.bool("enable_bucket").or(general::enableBucket).orElse(false);
    boolean noUpscale = section.bool("bucket_no_upscale").or(general::bucketNoUpscale).orElse(false);
    return new DatasetCommon(
        section.resolution("resolution").or(general::resolution).orElse(DEFAULT_RESOLUTION),
        section.string("caption_extension").or(general::captionExtension),
        section.integer("batch_size", 1).orElseGet(() -> general.batchSize().orElse(1)),
        section.integer("num_repeats", 1).orElseGet(() -> general.numRepeats().orElse(1)),
        bucket, bucket && noUpscale, cache.orElse(Path.of("")));
  }

  /** Each rounded down to 4k+1, then deduplicated and sorted, as the reference's VideoDataset. */
  private List<Integer> targetFrames() {
    List<Integer> given = section.ints("target_frames", 1).orElse(List.of(1));
    return given.stream().map(f -> (f - 1) / VAE_FRAME_STRIDE * VAE_FRAME_STRIDE + 1)
        .collect(Collectors.toCollection(TreeSet::new)).stream().toList();
  }

  private FrameExtraction frameExtraction() {
    Optional<String> given = section.string("frame_extraction");
    if (given.isEmpty()) {
      return FrameExtraction.HEAD;
    }
    for (FrameExtraction e : FrameExtraction.values()) {
      if (e.optionName().equals(given.get())) {
        return e;
      }
    }
    section.report("frame_extraction", "unknown frame_extraction [" + given.get() + "] in " + section.name()
        + ". Select one of " + Arrays.stream(FrameExtraction.values()).map(FrameExtraction::optionName).toList());
    return FrameExtraction.HEAD;
  }

  private Optional<Path> path(String key) {
    Optional<String> text = section.string(key);
    try {
      return text.map(Path::of);
    } catch (java.nio.file.InvalidPathException e) {
      section.report(key, key + " in " + section.name() + " is not a valid path: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static Map<String, String> explain(java.util.Set<String> otherKind, String why) {
    return otherKind.stream().collect(Collectors.toMap(k -> k, k -> "It is " + why));
  }

  private static OptionalInt optInt(Optional<Integer> value) {
    return value.map(OptionalInt::of).orElse(OptionalInt.empty());
  }
}
