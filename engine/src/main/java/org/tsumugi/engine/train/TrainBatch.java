package org.tsumugi.engine.train;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Optional;

/**
 * One micro-batch of cached data, as the trainer takes it.
 *
 * @param latents clean latents x0 [B, 16, F, H, W]
 * @param context text-encoder rows per sample, each [L_i, text_dim]
 * @param imageLatents image-to-video conditioning [B, 20, F, H, W], else null
 * @param clip CLIP features [B, 257, 1280], else null
 * @param bucketedU the dataset's stratified uniforms for this batch when {@code num_timestep_buckets} is on
 */
public record TrainBatch(
    NDArray latents, List<NDArray> context, NDArray imageLatents, NDArray clip, Optional<double[]> bucketedU) {

  public static TrainBatch textToVideo(NDArray latents, List<NDArray> context) {
    return new TrainBatch(latents, context, null, null, Optional.empty());
  }

  public int size() {
    return (int) latents.getShape().get(0);
  }
}
