package org.tsumugi.engine.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor's header entry. {@code dataStart} and {@code dataEnd} are the header's {@code data_offsets}: byte offsets
 * relative to the start of the data section (which begins at {@link SafetensorsFile#dataOffset()}).
 */
public record TensorInfo(String name, DType dtype, long[] shape, long dataStart, long dataEnd) {

  public TensorInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Number of elements (1 for a 0-dim tensor). */
  public long numel() {
    return numel(shape);
  }

  public long byteLength() {
    return dataEnd - dataStart;
  }

  static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t
        && name.equals(t.name)
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape)
        && dataStart == t.dataStart
        && dataEnd == t.dataEnd;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape), dataStart, dataEnd);
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape) + " @[" + dataStart + "," + dataEnd + ")";
  }
}
