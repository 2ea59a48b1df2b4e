package org.tsumugi.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import org.tsumugi.engine.tensor.TensorStore;

/**
 * An offload tier: where streamed weights are read from when a block is brought in (the checkpoint on disk, an fp8
 * copy in memory, a generated model). On a GPU machine this is host memory; here it is anything but the compute
 * heap.
 */
@FunctionalInterface
public interface WeightTier {

  /**
   * Writes the float32 values of tensor {@code key} into {@code into} (little-endian, from position 0, exactly the
   * tensor's element count).
   */
  void read(String key, ByteBuffer into);

  /** Reads through a tensor store (each read materialises the tensor once; meant for generated models and tests). */
  static WeightTier of(TensorStore store) {
    return (key, into) -> {
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray a = store.load(key, m);
        into.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(a.toFloatArray());
      }
    };
  }
}
