package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer's named state tensors, all owned by one long-lived manager. Tensors are created lazily at a
 * parameter's first update, as torch optimizers do, and are taken out of any {@link NDScope} that the update runs in.
 */
final class StateStore {
  private final NDManager manager;
  private final Map<String, NDArray> tensors = new LinkedHashMap<>();

  StateStore(NDManager manager) {
    this.manager = manager;
  }

  boolean contains(String key) {
    return tensors.containsKey(key);
  }

  NDArray get(String key) {
    NDArray array = tensors.get(key);
    if (array == null) {
      throw new OptimizerStateException("optimizer state has no tensor " + key);
    }
    return array;
  }

  NDArray zeros(String key, Shape shape) {
    return zeros(key, shape, DataType.FLOAT32);
  }

  NDArray zeros(String key, Shape shape, DataType type) {
    return keep(key, manager.zeros(shape, type));
  }

  /** A copy of {@code source} (e.g. the parameter's starting point) kept as state. */
  NDArray copyOf(String key, NDArray source) {
    NDArray copy = source.duplicate();
    copy.attach(manager);
    return keep(key, copy);
  }

  Map<String, NDArray> view() {
    return Collections.unmodifiableMap(tensors);
  }

  /** Replaces every tensor with the saved ones. */
  void restore(Map<String, StateTensor> saved) {
    tensors.values().forEach(NDArray::close);
    tensors.clear();
    saved.forEach((key, value) -> keep(key, value.toArray(manager)));
  }

  /** Fails naming the first tensor that a restored state should have but does not. */
  void requireAll(Iterable<String> keys) {
    for (String key : keys) {
      get(key);
    }
  }

  private NDArray keep(String key, NDArray array) {
    NDScope.unregister(array);
    NDArray previous = tensors.put(key, array);
    if (previous != null) {
      previous.close();
    }
    return array;
  }
}
