package org.tsumugi.engine.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.tsumugi.engine.io.ComputedTensor;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.TensorData;
import org.tsumugi.engine.io.TensorSource;

/**
 * A generated model: every tensor of a layout filled with uniform draws of standard deviation 1/√fan_in for matrices
 * and 0.02 for vectors; norm weights are 1. The draws depend only on the seed and the key, so the
 * same model is produced again on any machine (benchmarks, the embedded default, tests).
 */
public final class RandomTensorStore implements TensorStore {

  private final Map<String, long[]> shapes;
  private final long seed;

  public RandomTensorStore(Map<String, long[]> shapes, long seed) {
    this.shapes = new LinkedHashMap<>(shapes);
    this.seed = seed;
  }

  @Override
  public Map<String, long[]> shapes() {
    return shapes;
  }

  @Override
  public NDArray load(String key, NDManager manager) {
    return manager.create(values(key), new Shape(shape(key)));
  }

  /**
   * Tensor {@code key} as a file writer takes it, generated only when the writer asks, so that a large checkpoint is
   * written holding one tensor at a time.
   */
  public TensorSource source(String key, DType dtype) {
    return ComputedTensor.ofFloats(key, shapes().get(key), dtype, () -> values(key));
  }

  /** The generated values of {@code key}, row-major. */
  public float[] values(String key) {
    long[] shape = shape(key);
    long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    float[] values = new float[Math.toIntExact(count)];
    if (key.contains("norm") && key.endsWith(".weight")) {
      Arrays.fill(values, 1f);
      return values;
    }
    SplittableRandom random = new SplittableRandom(seed ^ hash(key));
    double std = shape.length >= 2 ? 1.0 / Math.sqrt(count / shape[0]) : 0.02;
    double bound = Math.sqrt(3.0) * std; // U(−b, b) has standard deviation b/√3
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
    return values;
  }

  private long[] shape(String key) {
    long[] shape = shapes.get(key);
    if (shape == null) {
      throw new IllegalArgumentException("generated model has no tensor " + key);
    }
    return shape;
  }

  private static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ b) * 0x100000001b3L;
    }
    return h;
  }
}
