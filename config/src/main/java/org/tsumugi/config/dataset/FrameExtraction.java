package org.tsumugi.config.dataset;

/** {@code frame_extraction}: how clips are cut from a video when caching (reference/wan-model.md §4.4). */
public enum FrameExtraction {
  HEAD,
  CHUNK,
  SLIDE,
  UNIFORM,
  FULL;

  public String optionName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
