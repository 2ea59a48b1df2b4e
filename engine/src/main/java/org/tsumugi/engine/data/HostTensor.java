package org.tsumugi.engine.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * A float32 tensor in Java memory: what a loader thread produces without touching DJL, turned into a DJL array later
 * on the thread that owns the native memory.
 */
public record HostTensor(long[] shape, float[] values) {

  public HostTensor {
    shape = shape.clone();
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    if (n != values.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got "
          + values.length);
    }
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The tensor as a FLOAT32 array attached to {@code manager}. */
  public NDArray toNDArray(NDManager manager) {
    return manager.create(values, new Shape(shape));
  }

  /**
   * The tensors stacked along a new first axis, as one FLOAT32 array [n, ...shape].
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public static NDArray stack(NDManager manager, List<HostTensor> tensors) {
    long[] first = tensors.get(0).shape;
    long total = 0;
    for (HostTensor t : tensors) {
      if (!Arrays.equals(first, t.shape)) {
        throw new IllegalArgumentException("cannot stack shapes " + Arrays.toString(first) + " and "
            + Arrays.toString(t.shape));
      }
      total += t.values.length;
    }
    ByteBuffer bytes = manager.allocateDirect(Math.toIntExact(Math.multiplyExact(total, Float.BYTES)));
    FloatBuffer floats = bytes.asFloatBuffer();
    for (HostTensor t : tensors) {
      floats.put(t.values);
    }
    long[] shape = new long[first.length + 1];
    shape[0] = tensors.size();
    System.arraycopy(first, 0, shape, 1, first.length);
    return manager.create(bytes, new Shape(shape), DataType.FLOAT32);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(values, t.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "HostTensor" + Arrays.toString(shape);
  }
}
