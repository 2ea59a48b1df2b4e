package org.tsumugi.engine.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor held in memory (or as a view of a mapped file): dtype, shape and its little-endian bytes. Equality is
 * by value, bytes included.
 */
public record TensorData(String name, DType dtype, long[] shape, ByteBuffer data) implements TensorSource {

  public TensorData {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = shape.clone();
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor \"" + name + "\": negative dimension in " + Arrays.toString(shape));
      }
    }
    long expected = Math.multiplyExact(TensorInfo.numel(shape), dtype.byteSize());
    if (data.remaining() != expected) {
      throw new IllegalArgumentException("tensor \"" + name + "\": " + data.remaining() + " bytes given but shape "
          + Arrays.toString(shape) + " x " + dtype + " needs " + expected);
    }
    data = data.asReadOnlyBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * float32 values stored as {@code target}: BF16 and F16 round to nearest even, F8_E4M3/F8_E5M2 follow torch's
   * casts (see {@link Fp8E4M3}), F64 widens exactly.
   *
   * @throws IllegalArgumentException if target is not a floating-point dtype or the length does not match the shape
   */
  public static TensorData fromFloats(String name, float[] values, long[] shape, DType target) {
    checkCount(name, values.length, shape);
    ByteBuffer out = allocate(values.length, target);
    switch (target) {
      case F32 -> out.asFloatBuffer().put(values);
      case F64 -> {
        for (float v : values) {
          out.putDouble(v);
        }
      }
      case BF16 -> Bf16.encode(values, 0, values.length, out);
      case F16 -> Fp16.encode(values, 0, values.length, out);
      case F8_E4M3 -> Fp8E4M3.encode(values, 0, values.length, out);
      case F8_E5M2 -> Fp8E5M2.encode(values, 0, values.length, out);
      default -> throw new IllegalArgumentException("tensor \"" + name + "\": cannot store floats as " + target
          + "; use fromLongs for integer dtypes");
    }
    return new TensorData(name, target, shape, out.rewind());
  }

  /**
   * Integer values stored as {@code target} (BOOL takes 0 and 1).
   *
   * @throws IllegalArgumentException if target is floating-point or a value does not fit it
   */
  public static TensorData fromLongs(String name, long[] values, long[] shape, DType target) {
    checkCount(name, values.length, shape);
    if (!target.isIntegral()) {
      throw new IllegalArgumentException("tensor \"" + name + "\": cannot store integers as " + target
          + "; use fromFloats for floating-point dtypes");
    }
    ByteBuffer out = allocate(values.length, target);
    for (int i = 0; i < values.length; i++) {
      IntegerRange.check(name, i, values[i], target);
      switch (target.byteSize()) {
        case 1 -> out.put((byte) values[i]);
        case 2 -> out.putShort((short) values[i]);
        case 4 -> out.putInt((int) values[i]);
        default -> out.putLong(values[i]);
      }
    }
    return new TensorData(name, target, shape, out.rewind());
  }

  private static void checkCount(String name, int count, long[] shape) {
    if (TensorInfo.numel(shape) != count) {
      throw new IllegalArgumentException("tensor \"" + name + "\": " + count + " values do not fill shape "
          + Arrays.toString(shape));
    }
  }

  private static ByteBuffer allocate(int count, DType dtype) {
    return ByteBuffer.allocate(Math.multiplyExact(count, dtype.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** A fresh little-endian read-only view (position 0) of the bytes. */
  @Override
  public ByteBuffer data() {
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  public long numel() {
    return TensorInfo.numel(shape);
  }

  /** The values widened to float32 (floating-point dtypes only). */
  public float[] toFloats() {
    return TensorDecoding.floats("tensor data", info(), data);
  }

  /** The values as long (integer and BOOL dtypes only). */
  public long[] toLongs() {
    return TensorDecoding.longs("tensor data", info(), data);
  }

  private TensorInfo info() {
    return new TensorInfo(name, dtype, shape, 0, data.remaining());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorData t
        && name.equals(t.name)
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape)
        && data.equals(t.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape), data);
  }

  @Override
  public String toString() {
    return "TensorData[" + name + " " + dtype + Arrays.toString(shape) + "]";
  }
}
