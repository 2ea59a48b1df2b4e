package org.tsumugi.engine.data;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Optional;

/**
 * One batch as DJL arrays (FLOAT32, INT32 for frame indices), all attached to the manager it was created in.
 *
 * @param latents clean latents x_0 [B, 16, F, H, W]
 * @param context T5 rows per sample, each [L_i, text_dim] (not padded: the model pads to text_len)
 * @param imageLatents [B, 20, F, H, W] when cached
 * @param clip [B, 257, 1280] when cached
 * @param controlLatents [B, 16, F, H, W] when cached
 * @param frameIndices [B, F] when cached (one-frame)
 * @param timestepUniforms the stratified u of each sample, when {@code num_timestep_buckets} is on
 */
public record Batch(
    NDArray latents,
    List<NDArray> context,
    Optional<NDArray> imageLatents,
    Optional<NDArray> clip,
    Optional<NDArray> controlLatents,
    Optional<NDArray> frameIndices,
    Optional<double[]> timestepUniforms) {

  public Batch {
    context = List.copyOf(context);
  }

  public int size() {
    return (int) latents.getShape().get(0);
  }
}
