package org.tsumugi.engine.model.wan;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * One batch as the DiT takes it. All samples share the latent grid (bucketing guarantees it).
 *
 * @param latents noisy latents x_t [B, 16, F, H, W]
 * @param timesteps model timesteps on the 0..1000 scale, one per sample
 * @param context text-encoder rows per sample, each [L_i ≤ text_len, text_dim] (zero-padded inside the model)
 * @param imageLatents image-to-video conditioning y [B, 20, F, H, W], else null
 * @param clip CLIP image features [B, 257, 1280] (image-to-video), else null
 */
public record WanInputs(NDArray latents, float[] timesteps, List<NDArray> context, NDArray imageLatents, NDArray clip) {

  public static WanInputs textToVideo(NDArray latents, float[] timesteps, List<NDArray> context) {
    return new WanInputs(latents, timesteps, context, null, null);
  }

  public int batchSize() {
    return (int) latents.getShape().get(0);
  }
}
