package org.tsumugi.actors.training;

import java.util.List;
import java.util.Optional;

/**
 * One micro-batch read into plain Java arrays (off the trainer's thread); the trainer turns it into tensors.
 *
 * @param epoch 0-based epoch
 * @param index 0-based position in that epoch's batch order
 * @param latentShape [B, 16, F, H, W]
 * @param latents row-major values of the latents
 * @param contextShapes per sample [L_i, text_dim]
 * @param contexts per sample row-major text-encoder rows
 * @param bucketedU stratified uniforms for this batch when num_timestep_buckets is on
 */
public record HostBatch(int epoch, int index, long[] latentShape, float[] latents, List<long[]> contextShapes,
    List<float[]> contexts, Optional<double[]> bucketedU) {

  public HostBatch {
    contextShapes = List.copyOf(contextShapes);
    contexts = List.copyOf(contexts);
  }

  public int size() {
    return (int) latentShape[0];
  }
}
