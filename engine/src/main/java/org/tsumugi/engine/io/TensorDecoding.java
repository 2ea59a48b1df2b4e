package org.tsumugi.engine.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Turns a tensor's raw little-endian bytes into Java arrays: floats widened to float32, integers to long. */
final class TensorDecoding {
  /** The largest Java array the VM reliably allocates. */
  static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private TensorDecoding() {}

  static float[] floats(String where, TensorInfo info, ByteBuffer raw) {
    requireFloatingPoint(where, info);
    return floats(where, info, raw, new float[arrayLength(where, info)]);
  }

  /** Decodes into {@code out[0..numel)} and returns it. */
  static float[] floats(String where, TensorInfo info, ByteBuffer raw, float[] out) {
    requireFloatingPoint(where, info);
    DType dtype = info.dtype();
    int n = arrayLength(where, info);
    if (out.length < n) {
      throw new IllegalArgumentException(where + ": tensor \"" + info.name() + "\" has " + n
          + " elements, the destination holds " + out.length);
    }
    ByteBuffer src = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case F32 -> src.asFloatBuffer().get(out, 0, n);
      case F64 -> {
        var doubles = src.asDoubleBuffer();
        for (int i = 0; i < n; i++) {
          out[i] = (float) doubles.get(i);
        }
      }
      case BF16 -> Bf16.decode(src, out, 0, n);
      case F16 -> Fp16.decode(src, out, 0, n);
      case F8_E4M3 -> Fp8E4M3.decode(src, out, 0, n);
      case F8_E5M2 -> Fp8E5M2.decode(src, out, 0, n);
      default -> throw new AssertionError(dtype);
    }
    return out;
  }

  private static void requireFloatingPoint(String where, TensorInfo info) {
    if (!info.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(where + ": tensor \"" + info.name() + "\" is " + info.dtype()
          + ", not a floating-point dtype; read it with readLongs");
    }
  }

  /** Integer and BOOL tensors as long; U64 values of 2^63 and more come out as their two's-complement bits. */
  static long[] longs(String where, TensorInfo info, ByteBuffer raw) {
    DType dtype = info.dtype();
    if (!dtype.isIntegral()) {
      throw new IllegalArgumentException(where + ": tensor \"" + info.name() + "\" is " + dtype
          + ", not an integer dtype; read it with readFloats");
    }
    int n = arrayLength(where, info);
    long[] out = new long[n];
    ByteBuffer src = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      out[i] = switch (dtype) {
        case BOOL -> src.get(i) != 0 ? 1 : 0;
        case U8 -> src.get(i) & 0xFFL;
        case I8 -> src.get(i);
        case I16 -> src.getShort(2 * i);
        case U16 -> src.getShort(2 * i) & 0xFFFFL;
        case I32 -> src.getInt(4 * i);
        case U32 -> src.getInt(4 * i) & 0xFFFF_FFFFL;
        case I64, U64 -> src.getLong(8 * i);
        default -> throw new AssertionError(dtype);
      };
    }
    return out;
  }

  static int arrayLength(String where, TensorInfo info) {
    long n = info.numel();
    if (n > MAX_ARRAY) {
      throw new IllegalArgumentException(where + ": tensor \"" + info.name() + "\" has " + n
          + " elements; a Java array holds at most " + MAX_ARRAY + " (read it in parts with rawBytes)");
    }
    return (int) n;
  }
}
