package org.tsumugi.engine.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Named float32 tensors, materialised on demand into a manager (a checkpoint, an offload tier, a test map). */
@FunctionalInterface
public interface TensorSource {

  NDArray load(String key, NDManager manager);
}
