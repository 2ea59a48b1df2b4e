package org.tsumugi.engine.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.TensorInfo;
import org.tsumugi.engine.model.CheckpointTier;
import org.tsumugi.engine.model.WeightTier;
import org.tsumugi.engine.tensor.CheckpointTensors;
import org.tsumugi.engine.tensor.TensorStore;

/**
 * A checkpoint already stored as scaled fp8 (the reference's in-memory format written to disk): each quantised weight
 * is F8_E4M3 with a {@code .scale_weight} beside it in the original dtype, shaped [out, in/64, 1] (or [out, 1], or a
 * scalar). As a tensor store it shows the model's keys only, quantised weights dequantised to float32.
 */
public final class ScaledFp8Checkpoint implements TensorStore {

  private final CheckpointTensors tensors;
  private final CheckpointTier tier;
  private final Map<String, long[]> shapes = new LinkedHashMap<>();
  private final Map<String, ScaleGranularity> scaled = new LinkedHashMap<>();
  private ByteBuffer staging = ByteBuffer.allocateDirect(0);

  /**
   * @throws IllegalArgumentException naming the tensor if a scale has no F8_E4M3 weight, a scale's shape or dtype does
   *     not fit, or an fp8 weight has no scale
   */
  public ScaledFp8Checkpoint(CheckpointTensors tensors, CheckpointTier tier) {
    this.tensors = tensors;
    this.tier = tier;
    String where = tensors.checkpoint().path().toString();
    tensors.shapes().forEach((key, shape) -> {
      if (key.endsWith(".scale_weight")) {
        return;
      }
      shapes.put(key, shape);
      DType dtype = tier.dtype(key);
      String scaleKey = Fp8Targets.scaleKey(key);
      long[] scaleShape = tensors.shapes().get(scaleKey);
      if (scaleShape == null) {
        if (dtype == DType.F8_E4M3 || dtype == DType.F8_E5M2) {
          throw new IllegalArgumentException(where + ": " + key + " is " + dtype + " without " + scaleKey
              + "; only scaled fp8 e4m3 checkpoints (weights with their .scale_weight) are supported");
        }
        return;
      }
      if (dtype != DType.F8_E4M3) {
        throw new IllegalArgumentException(where + ": " + scaleKey + " scales " + key + ", which is " + dtype
            + "; a scaled weight must be F8_E4M3");
      }
      SourcePrecision.of(tier.dtype(scaleKey));
      scaled.put(key, ScaleGranularity.ofScale(scaleKey, shape, scaleShape));
    });
    for (String key : tensors.shapes().keySet()) {
      if (key.endsWith(".scale_weight") && !scaled.containsKey(key.replace(".scale_weight", ".weight"))) {
        throw new IllegalArgumentException(where + ": " + key + " has no weight beside it");
      }
    }
  }

  /** Whether a checkpoint's keys include fp8 scales. */
  public static boolean isScaled(Map<String, long[]> shapes) {
    return shapes.keySet().stream().anyMatch(k -> k.endsWith(".scale_weight"));
  }

  public boolean scaled(String key) {
    return scaled.containsKey(key);
  }

  /** The model's keys (scales left out) with their shapes. */
  @Override
  public Map<String, long[]> shapes() {
    return Collections.unmodifiableMap(shapes);
  }

  @Override
  public NDArray load(String key, NDManager manager) {
    if (!scaled(key)) {
      return tier.load(key, manager);
    }
    return manager.create(read(key).dequantise(), new Shape(shapes.get(key)));
  }

  /** A quantised weight's codes and scales, read into memory of their own (positional reads, no mapping). */
  public Fp8Tensor read(String key) {
    long[] shape = shapes.get(key);
    int numel = Math.toIntExact(ScaleGranularity.numel(shape));
    ByteBuffer codes = ByteBuffer.allocateDirect(numel);
    tier.readRaw(key, codes);
    return new Fp8Tensor(shape, scaled.get(key), codes.clear(), scales(key, true), precision(key));
  }

  /** The offload tier for swapped blocks: codes read from disk on each fetch and dequantised into the slot. */
  public WeightTier swapTier() {
    return this::readDequantised;
  }

  private synchronized void readDequantised(String key, ByteBuffer into) {
    long[] shape = shapes.get(key);
    int numel = Math.toIntExact(ScaleGranularity.numel(shape));
    if (staging.capacity() < numel) {
      staging = ByteBuffer.allocateDirect(numel);
    }
    ByteBuffer codes = staging.clear().limit(numel);
    tier.readRaw(key, codes);
    new Fp8Tensor(shape, scaled.get(key), codes.clear().limit(numel).slice(), scales(key, false), precision(key))
        .dequantiseInto(into);
  }

  private java.nio.FloatBuffer scales(String key, boolean direct) {
    TensorInfo info = tier.info(Fp8Targets.scaleKey(key));
    int count = Math.toIntExact(info.numel());
    ByteBuffer bytes = (direct ? ByteBuffer.allocateDirect(4 * count) : ByteBuffer.allocate(4 * count))
        .order(ByteOrder.LITTLE_ENDIAN);
    tier.read(Fp8Targets.scaleKey(key), bytes);
    return bytes.asFloatBuffer();
  }

  private SourcePrecision precision(String key) {
    return SourcePrecision.of(tier.dtype(Fp8Targets.scaleKey(key)));
  }
}
