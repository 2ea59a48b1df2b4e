package org.tsumugi.engine.data;

import org.tsumugi.engine.model.wan.WanConfig;

/**
 * What the model being trained needs from a cache: text rows of its width and at most its text length, and for an
 * image-to-video model the conditioning latents and CLIP features.
 *
 * @param textDim width of a T5 row (4096 for umt5-xxl; small for test models)
 * @param textLen the most rows a context may have (the model zero-pads to it)
 * @param imageToVideo whether {@code latents_image} and {@code clip} are required
 */
public record CacheRequirements(int textDim, int textLen, boolean imageToVideo) {
  /** Latent channels of the Wan2.1 VAE (z_dim). */
  public static final int LATENT_CHANNELS = 16;
  /** Image-to-video conditioning channels: 4 mask channels + 16 latent channels. */
  public static final int IMAGE_LATENT_CHANNELS = 20;

  public CacheRequirements {
    if (textDim < 1 || textLen < 1) {
      throw new IllegalArgumentException("text_dim " + textDim + " and text_len " + textLen + " must be positive");
    }
  }

  public static CacheRequirements forModel(WanConfig model) {
    return new CacheRequirements(model.textDim(), model.textLen(), model.imageToVideo());
  }
}
