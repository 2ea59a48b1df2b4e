package org.tsumugi.engine.model.wan;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.tsumugi.engine.io.Checkpoint;
import org.tsumugi.engine.tensor.CheckpointTensors;

/**
 * Opens a Wan2.1 DiT checkpoint as published (one file, a sharded set or an index; keys with or without the 1.3B
 * release's {@code model.diffusion_model.} prefix) and checks it against the configuration before anything loads.
 */
public final class WanCheckpoint implements AutoCloseable {

  private final Checkpoint checkpoint;
  private final CheckpointTensors tensors;
  private final WanConfig config;

  private WanCheckpoint(Checkpoint checkpoint, CheckpointTensors tensors, WanConfig config) {
    this.checkpoint = checkpoint;
    this.tensors = tensors;
    this.config = config;
  }

  /** Opens {@code path} and refuses it, naming the key, unless its keys and shapes are exactly {@code config}'s. */
  public static WanCheckpoint open(Path path, WanConfig config) throws IOException {
    Checkpoint checkpoint = Checkpoint.open(path);
    try {
      CheckpointTensors tensors = new CheckpointTensors(checkpoint, WanLayout.prefixOf(checkpoint.names()));
      WanLayout.check(tensors.shapes(), config, path.toString());
      return new WanCheckpoint(checkpoint, tensors, config);
    } catch (RuntimeException e) {
      checkpoint.close();
      throw e;
    }
  }

  /** Opens {@code path}, reading the sizes off its shapes (head count and text length must be given). */
  public static WanCheckpoint openInferred(Path path, int numHeads, int textLen) throws IOException {
    WanConfig config;
    try (Checkpoint probe = Checkpoint.open(path)) {
      CheckpointTensors tensors = new CheckpointTensors(probe, WanLayout.prefixOf(probe.names()));
      config = WanLayout.infer(tensors.shapes(), numHeads, textLen, path.toString());
    }
    return open(path, config);
  }

  public WanConfig config() {
    return config;
  }

  public CheckpointTensors tensors() {
    return tensors;
  }

  /** Every weight as float32 in {@code manager}. */
  public WanModel load(NDManager manager) {
    return new WanModel(WanWeights.load(tensors, manager, config));
  }

  @Override
  public void close() throws IOException {
    checkpoint.close();
  }
}
