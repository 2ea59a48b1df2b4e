package org.tsumugi.engine.data;

import org.tsumugi.config.dataset.DatasetSpec;
import org.tsumugi.config.dataset.VideoDatasetConfig;

/** Whether a dataset holds images or videos: it decides how its cache file names are read (§4.1). */
public enum MediaKind {
  IMAGE,
  VIDEO;

  public static MediaKind of(DatasetSpec spec) {
    return spec instanceof VideoDatasetConfig ? VIDEO : IMAGE;
  }
}
