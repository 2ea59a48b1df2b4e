package org.tsumugi.engine.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * Named float32 tensors (a checkpoint, an offload tier, a generated model), materialised on demand into a manager.
 * Keys are the model's own state-dict keys (any file prefix already removed).
 */
public interface TensorStore {

  /** Every key with its shape. */
  Map<String, long[]> shapes();

  /** The tensor under {@code key} as float32 in {@code manager}; unknown keys are refused by name. */
  NDArray load(String key, NDManager manager);
}
