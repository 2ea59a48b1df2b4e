package org.tsumugi.engine.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tsumugi.engine.io.Checkpoint;
import org.tsumugi.engine.model.CheckpointTier;
import org.tsumugi.engine.model.WeightTier;
import org.tsumugi.engine.tensor.CheckpointTensors;
import org.tsumugi.engine.tensor.RandomTensorStore;
import org.tsumugi.engine.tensor.TensorStore;

/**
 * Where a model's weights come from, seen three ways: as float32 tensors to load ({@link #store()}), as an offload
 * tier for streamed blocks ({@link #floatTier()}, {@link #fp8Tier()}), and per quantised weight as fp8 codes
 * ({@link #quantised(String)}: read as stored, or quantised from the source values with the source's precision).
 * Scratch files it writes for swapped fp8 blocks ({@link #fp8SwapTier(List)}) are deleted when it closes.
 */
public final class WeightSource implements AutoCloseable {

  private final TensorStore store;
  private final WeightTier values;
  private final CheckpointTier checkpointTier;
  private final ScaledFp8Checkpoint scaled;
  private final Path scratchDirectory;
  private final List<Fp8ScratchFile> scratchFiles = new ArrayList<>();

  private WeightSource(TensorStore store, WeightTier values, CheckpointTier checkpointTier,
      ScaledFp8Checkpoint scaled, Path scratchDirectory) {
    this.store = store;
    this.values = values;
    this.checkpointTier = checkpointTier;
    this.scaled = scaled;
    this.scratchDirectory = scratchDirectory;
  }

  /** A generated model (float32 by construction). */
  public static WeightSource of(TensorStore generated) {
    WeightTier values = generated instanceof RandomTensorStore r
        ? (key, into) -> into.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(r.values(key))
        : WeightTier.of(generated);
    return new WeightSource(generated, values, null, null, null);
  }

  /** A checkpoint whose model keys follow {@code prefix}; a scaled fp8 checkpoint is recognised by its scales. */
  public static WeightSource of(Checkpoint checkpoint, String prefix) {
    return of(checkpoint, prefix, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** As {@link #of(Checkpoint, String)}, with fp8 scratch files for swapped blocks under {@code scratchDirectory}. */
  public static WeightSource of(Checkpoint checkpoint, String prefix, Path scratchDirectory) {
    CheckpointTensors tensors = new CheckpointTensors(checkpoint, prefix);
    CheckpointTier tier = new CheckpointTier(checkpoint, prefix);
    if (!ScaledFp8Checkpoint.isScaled(tensors.shapes())) {
      return new WeightSource(readByPosition(tensors, tier), tier, tier, null, scratchDirectory);
    }
    ScaledFp8Checkpoint scaled = new ScaledFp8Checkpoint(tensors, tier);
    return new WeightSource(scaled, tier, tier, scaled, scratchDirectory);
  }

  /**
   * The checkpoint's tensors read with positional reads: a touched page of a mapping counts as the process's resident
   * memory for as long as the file stays mapped, on top of the float32 copy the model keeps.
   */
  private static TensorStore readByPosition(CheckpointTensors tensors, CheckpointTier tier) {
    return new TensorStore() {
      @Override
      public Map<String, long[]> shapes() {
        return tensors.shapes();
      }

      @Override
      public NDArray load(String key, NDManager manager) {
        return tier.load(key, manager);
      }
    };
  }

  /** The weights as float32 tensors under the model's keys (scaled fp8 weights dequantised). */
  public TensorStore store() {
    return store;
  }

  public Map<String, long[]> shapes() {
    return store.shapes();
  }

  public boolean prequantised() {
    return scaled != null;
  }

  /** Float32 values for swapped blocks without fp8: stored fp8 weights dequantised, others widened. */
  public WeightTier floatTier() {
    return (key, into) -> {
      if (scaled != null && scaled.scaled(key)) {
        scaled.swapTier().read(key, into);
      } else {
        values.read(key, into);
      }
    };
  }

  /** Values for swapped fp8 blocks: stored fp8 dequantised, float weights quantised and dequantised on the way. */
  public WeightTier fp8Tier() {
    Fp8RoundTripTier roundTrip = new Fp8RoundTripTier(values, shapes(), this::precision);
    return (key, into) -> {
      if (scaled != null && scaled.scaled(key)) {
        scaled.swapTier().read(key, into);
      } else {
        roundTrip.read(key, into);
      }
    };
  }

  /**
   * Values for the swapped fp8 blocks whose weights are {@code keys}. A float checkpoint's weights are quantised once,
   * now, into a scratch file that later fetches read (the same values as {@link #fp8Tier()}, at the cost of reading a
   * stored fp8 checkpoint); stored fp8 and generated weights are served as by {@link #fp8Tier()}.
   *
   * @throws UncheckedIOException naming the file if the scratch file cannot be written
   */
  public WeightTier fp8SwapTier(List<String> keys) {
    if (scaled != null || checkpointTier == null || keys.isEmpty()) {
      return fp8Tier();
    }
    try {
      Fp8ScratchFile file = Fp8ScratchFile.write(scratchDirectory, keys, shapes(), values, this::precision);
      scratchFiles.add(file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage() + " (scratch directory " + scratchDirectory
          + "; it needs room for the swapped blocks' fp8 weights)", e);
    }
  }

  /** The fp8 form of a weight: as stored, or quantised now from the source values. */
  public Fp8Tensor quantised(String key) {
    if (scaled != null && scaled.scaled(key)) {
      return scaled.read(key);
    }
    long[] shape = shapes().get(key);
    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(4 * ScaleGranularity.numel(shape)))
        .order(ByteOrder.LITTLE_ENDIAN);
    values.read(key, buffer);
    float[] floats = new float[buffer.capacity() / 4];
    buffer.asFloatBuffer().get(floats);
    return ScaledFp8.quantise(floats, shape, precision(key));
  }

  /** The precision the reference would do a weight's scale arithmetic in: its stored dtype. */
  public SourcePrecision precision(String key) {
    return checkpointTier == null ? SourcePrecision.F32 : SourcePrecision.of(checkpointTier.dtype(key));
  }

  /** Closes the checkpoint's channels and deletes the scratch files. */
  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (Fp8ScratchFile file : scratchFiles) {
      try {
        file.close();
      } catch (IOException e) {
        failure = failure == null ? e : suppressing(failure, e);
      }
    }
    scratchFiles.clear();
    try {
      if (checkpointTier != null) {
        checkpointTier.close();
      }
    } catch (IOException e) {
      failure = failure == null ? e : suppressing(failure, e);
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static IOException suppressing(IOException first, IOException next) {
    first.addSuppressed(next);
    return first;
  }
}
