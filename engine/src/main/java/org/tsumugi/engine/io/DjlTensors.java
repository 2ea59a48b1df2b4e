package org.tsumugi.engine.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Copies a stored tensor into a DJL array. Every floating-point dtype arrives as FLOAT32 (widened here, in Java: DJL's
 * PyTorch engine aborts the process on BFLOAT16, and also on INT16 and the unsigned types other than UINT8, so those
 * widen to INT32/INT64). The array never aliases the file mapping: it gets a fresh direct buffer.
 */
final class DjlTensors {
  private DjlTensors() {}

  static NDArray create(NDManager manager, String where, TensorInfo info, ByteBuffer raw) {
    Shape shape = new Shape(info.shape());
    int n = TensorDecoding.arrayLength(where, info);
    ByteBuffer src = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    NDArray array = switch (info.dtype()) {
      case F32 -> {
        ByteBuffer out = manager.allocateDirect(4 * n);
        out.asFloatBuffer().put(src.asFloatBuffer());
        yield manager.create(out, shape, DataType.FLOAT32);
      }
      case F64, F16, BF16, F8_E4M3, F8_E5M2 -> {
        ByteBuffer out = manager.allocateDirect(4 * n);
        out.asFloatBuffer().put(TensorDecoding.floats(where, info, raw));
        yield manager.create(out, shape, DataType.FLOAT32);
      }
      case BOOL, U8, I8 -> {
        ByteBuffer out = manager.allocateDirect(n);
        long[] values = TensorDecoding.longs(where, info, raw);
        for (long v : values) {
          out.put((byte) v);
        }
        yield manager.create(out.rewind(), shape, dataType(info.dtype()));
      }
      case I16, U16, I32 -> {
        ByteBuffer out = manager.allocateDirect(4 * n);
        out.asIntBuffer().put(toInts(TensorDecoding.longs(where, info, raw)));
        yield manager.create(out, shape, DataType.INT32);
      }
      case U32, I64, U64 -> {
        long[] values = TensorDecoding.longs(where, info, raw);
        if (info.dtype() == DType.U64) {
          requireSigned(where, info, values);
        }
        ByteBuffer out = manager.allocateDirect(8 * n);
        out.asLongBuffer().put(values);
        yield manager.create(out, shape, DataType.INT64);
      }
    };
    array.setName(info.name());
    return array;
  }

  private static DataType dataType(DType dtype) {
    return switch (dtype) {
      case BOOL -> DataType.BOOLEAN;
      case U8 -> DataType.UINT8;
      case I8 -> DataType.INT8;
      default -> throw new AssertionError(dtype);
    };
  }

  private static int[] toInts(long[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (int) values[i];
    }
    return out;
  }

  private static void requireSigned(String where, TensorInfo info, long[] values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0) {
        throw new IllegalArgumentException(where + ": tensor \"" + info.name() + "\" (U64) holds "
            + Long.toUnsignedString(values[i]) + " at index " + i + ", beyond INT64");
      }
    }
  }
}
