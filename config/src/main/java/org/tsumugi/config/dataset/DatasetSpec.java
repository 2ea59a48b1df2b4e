package org.tsumugi.config.dataset;

import java.util.Optional;
import java.nio.file.Path;

/** One {@code [[datasets]]} entry: a video dataset iff it has video_directory or video_jsonl_file. */
public sealed interface DatasetSpec permits ImageDatasetConfig, VideoDatasetConfig {
  DatasetCommon common();

  Optional<Path> controlDirectory();
}
