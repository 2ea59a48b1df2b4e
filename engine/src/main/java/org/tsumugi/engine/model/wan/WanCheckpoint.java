package org.tsumugi.engine.model.wan;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.tsumugi.engine.io.Checkpoint;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.model.BlockPlacement;
import org.tsumugi.engine.model.MemoryOptions;
import org.tsumugi.engine.quant.MemoryPlan;
import org.tsumugi.engine.quant.WeightSource;
import org.tsumugi.engine.tensor.TensorStore;

/**
 * Opens a Wan2.1 DiT checkpoint as published (one file, a sharded set or an index; keys with or without the 1.3B
 * release's {@code model.diffusion_model.} prefix; float weights, or scaled fp8 weights with their
 * {@code .scale_weight}s) and checks it against the configuration before anything loads.
 */
public final class WanCheckpoint implements AutoCloseable {

  private final Checkpoint checkpoint;
  private final WeightSource source;
  private final WanConfig config;

  private WanCheckpoint(Checkpoint checkpoint, WeightSource source, WanConfig config) {
    this.checkpoint = checkpoint;
    this.source = source;
    this.config = config;
  }

  /** Opens {@code path} and refuses it, naming the key, unless its keys and shapes are exactly {@code config}'s. */
  public static WanCheckpoint open(Path path, WanConfig config) throws IOException {
    Checkpoint checkpoint = Checkpoint.open(path);
    try {
      WeightSource source = WeightSource.of(checkpoint, WanLayout.prefixOf(checkpoint.names()));
      WanLayout.check(source.shapes(), config, path.toString());
      return new WanCheckpoint(checkpoint, source, config);
    } catch (RuntimeException e) {
      checkpoint.close();
      throw e;
    }
  }

  /** Opens {@code path}, reading the sizes off its shapes (head count and text length must be given). */
  public static WanCheckpoint openInferred(Path path, int numHeads, int textLen) throws IOException {
    WanConfig config;
    try (Checkpoint probe = Checkpoint.open(path);
        WeightSource source = WeightSource.of(probe, WanLayout.prefixOf(probe.names()))) {
      config = WanLayout.infer(source.shapes(), numHeads, textLen, path.toString());
    }
    return open(path, config);
  }

  public WanConfig config() {
    return config;
  }

  /** The weights as float32 tensors under the model's keys (scaled fp8 weights dequantised). */
  public TensorStore tensors() {
    return source.store();
  }

  /**
   * The dtype the blocks' weights are stored in, which the reference trains in (its dit_dtype, reference/training.md
   * §8); empty for a checkpoint stored as scaled fp8 (the reference trains those in bfloat16).
   */
  public Optional<DType> blockWeightDtype() {
    return source.prequantised() ? Optional.empty()
        : Optional.of(checkpoint.info(WanLayout.prefixOf(checkpoint.names()) + "blocks.0.self_attn.q.weight").dtype());
  }

  /** Every weight as float32 in {@code manager}. */
  public WanModel load(NDManager manager) {
    return new WanModel(WanWeights.load(source.store(), manager, config));
  }

  /**
   * The model with its block weights placed for {@code options} (fp8, swapped blocks). Streamed blocks read from
   * this checkpoint whenever they are brought in, so it must stay open while the model is used. With fp8 and swap on a
   * float checkpoint the swapped blocks are quantised now into a scratch file under java.io.tmpdir (about one byte per
   * swapped weight), which {@link #close()} deletes.
   */
  public WanModel load(NDManager manager, MemoryOptions options) {
    BlockPlacement placement = MemoryPlan.place(source, config.numLayers(), WanLayout::blockPrefix, options, manager);
    return new WanModel(WanWeights.load(source.store(), manager, config, placement));
  }

  @Override
  public void close() throws IOException {
    try {
      source.close();
    } finally {
      checkpoint.close();
    }
  }
}
