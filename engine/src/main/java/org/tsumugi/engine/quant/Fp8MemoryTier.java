package org.tsumugi.engine.quant;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tsumugi.engine.model.WeightTier;

/** Resident fp8 weights: codes and scales in memory, dequantised into a slot when their block is brought in. */
public final class Fp8MemoryTier implements WeightTier {

  private final Map<String, Fp8Tensor> tensors = new LinkedHashMap<>();

  public void put(String key, Fp8Tensor tensor) {
    tensors.put(key, tensor);
  }

  public Fp8Tensor get(String key) {
    Fp8Tensor t = tensors.get(key);
    if (t == null) {
      throw new IllegalArgumentException("no fp8 weight " + key + " in memory (it is not a quantised, resident one)");
    }
    return t;
  }

  @Override
  public void read(String key, ByteBuffer into) {
    get(key).dequantiseInto(into);
  }

  /** Bytes of codes and scales held. */
  public long residentBytes() {
    return tensors.values().stream().mapToLong(Fp8Tensor::residentBytes).sum();
  }
}
