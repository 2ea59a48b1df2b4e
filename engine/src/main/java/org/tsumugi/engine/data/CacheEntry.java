package org.tsumugi.engine.data;

import java.util.Optional;

/**
 * What a cache tensor is, by the batch name the reference derives from its key (reference/wan-model.md §4.2):
 * {@code latents_1x32x32_bfloat16} → {@code latents}, {@code varlen_t5_bfloat16} → {@code t5}.
 */
public enum CacheEntry {
  /** The clean latent [16, F, H, W]. */
  LATENTS("latents"),
  /** Image-to-video conditioning y [20, F, H, W] (4 mask channels + 16 latent channels). */
  IMAGE_LATENTS("latents_image"),
  /** Fun-Control control latent [16, F, H, W]. */
  CONTROL_LATENTS("latents_control"),
  /** CLIP image features [257, 1280] ([n, 257, 1280] in one-frame caches). */
  CLIP("clip"),
  /** One-frame latent frame indices [F], int32. */
  FRAME_INDICES("f_indices"),
  /** umt5 text-encoder rows [L, 4096], variable length. */
  T5("t5");

  private final String batchName;

  CacheEntry(String batchName) {
    this.batchName = batchName;
  }

  /** The name the reference gives this entry in a batch dictionary. */
  public String batchName() {
    return batchName;
  }

  public static Optional<CacheEntry> ofBatchName(String name) {
    for (CacheEntry e : values()) {
      if (e.batchName.equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
