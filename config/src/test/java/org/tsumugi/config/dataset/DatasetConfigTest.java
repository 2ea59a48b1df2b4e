package org.tsumugi.config.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dataset config in the style of musubi's docs/dataset_config.md, and its HOCON twin. */
class DatasetConfigTest {
  static final String TOML = """
      # general configurations
      [general]
      resolution = [960, 544]
      caption_extension = ".txt"
      batch_size = 1
      enable_bucket = true
      bucket_no_upscale = false

      [[datasets]]
      image_directory = "/path/to/image_dir"
      cache_directory = "/path/to/cache_directory"
      num_repeats = 2 # optional

      [[datasets]]
      video_directory = "/path/to/video_dir"
      cache_directory = "/path/to/cache_directory_video"
      target_frames = [1, 25, 45]
      frame_extraction = "head"
      source_fps = 30.0

      [[datasets]]
      video_jsonl_file = "/path/to/metadata.jsonl"
      cache_directory = "/path/to/cache_directory_full"
      frame_extraction = "full"
      max_frames = 45
      target_frames = [20, 1, 3, 17]
      resolution = 512
      batch_size = 4

      [[datasets]]
      image_directory = "/path/to/images2"
      enable_bucket = false
      bucket_no_upscale = true
      """;

  static final String HOCON = """
      general {
        resolution = [960, 544]
        caption_extension = ".txt"
        batch_size = 1
        enable_bucket = true
        bucket_no_upscale = false
      }
      datasets = [
        { image_directory = "/path/to/image_dir", cache_directory = "/path/to/cache_directory", num_repeats = 2 }
        {
          video_directory = "/path/to/video_dir"
          cache_directory = "/path/to/cache_directory_video"
          target_frames = [1, 25, 45]
          frame_extraction = head
          source_fps = 30.0
        }
        {
          video_jsonl_file = "/path/to/metadata.jsonl"
          cache_directory = "/path/to/cache_directory_full"
          frame_extraction = full
          max_frames = 45
          target_frames = [20, 1, 3, 17]
          resolution = 512
          batch_size = 4
        }
        { image_directory = "/path/to/images2", enable_bucket = false, bucket_no_upscale = true }
      ]
      """;

  @TempDir
  Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void readsTheDocsStyleTomlWithGeneralFallbacksAndDefaults() throws IOException {
    DatasetConfig config = DatasetConfig.load(write("dataset.toml", TOML));
    Resolution docs = new Resolution(960, 544);
    assertEquals(new DatasetGeneral(Optional.of(docs), Optional.of(".txt"), OptionalInt.of(1), OptionalInt.empty(),
        Optional.of(true), Optional.of(false)), config.general());
    assertEquals(4, config.datasets().size());

    ImageDatasetConfig image = (ImageDatasetConfig) config.datasets().get(0);
    assertEquals(new DatasetCommon(docs, Optional.of(".txt"), 1, 2, true, false,
        Path.of("/path/to/cache_directory")), image.common());
    assertEquals(Optional.of(Path.of("/path/to/image_dir")), image.imageDirectory());
    assertEquals(9, image.fpLatentWindowSize());

    VideoDatasetConfig head = (VideoDatasetConfig) config.datasets().get(1);
    assertEquals(List.of(1, 25, 45), head.targetFrames());
    assertEquals(FrameExtraction.HEAD, head.frameExtraction());
    assertEquals(OptionalDouble.of(30.0), head.sourceFps());
    assertEquals(129, head.maxFrames());

    VideoDatasetConfig full = (VideoDatasetConfig) config.datasets().get(2);
    // (f-1)//4*4+1: 20 → 17, 3 → 1, 17 → 17, 1 → 1; deduplicated and sorted.
    assertEquals(List.of(1, 17), full.targetFrames());
    assertEquals(new Resolution(512, 512), full.common().resolution());
    assertEquals(4, full.common().batchSize());
    assertEquals(FrameExtraction.FULL, full.frameExtraction());
    assertEquals(45, full.maxFrames());

    ImageDatasetConfig plain = (ImageDatasetConfig) config.datasets().get(3);
    // No cache_directory: the image directory, as the reference. Bucketing off forces bucket_no_upscale off.
    assertEquals(Path.of("/path/to/images2"), plain.common().cacheDirectory());
    assertEquals(false, plain.common().enableBucket());
    assertEquals(false, plain.common().bucketNoUpscale());
  }

  @Test
  void hoconTwinGivesEqualRecords() throws IOException {
    assertEquals(DatasetConfig.load(write("dataset.toml", TOML)), DatasetConfig.load(write("dataset.conf", HOCON)));
  }

  @Test
  void appliesTheReferenceDefaultsWithoutGeneral() throws IOException {
    DatasetConfig config = DatasetConfig.load(write("d.toml", "[[datasets]]\nvideo_directory = \"v\"\n"
        + "frame_extraction = \"uniform\"\n"));
    VideoDatasetConfig video = (VideoDatasetConfig) config.datasets().get(0);
    assertEquals(new DatasetCommon(new Resolution(960, 544), Optional.empty(), 1, 1, false, false, Path.of("v")),
        video.common());
    assertEquals(List.of(1), video.targetFrames());
    // uniform with frame_sample 1 is head in the reference.
    assertEquals(FrameExtraction.HEAD, video.frameExtraction());
    assertEquals(1, video.frameStride());
  }
}
