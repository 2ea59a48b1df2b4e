package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import org.tsumugi.engine.tensor.HostCopy;

/**
 * One optimizer state tensor copied out of native memory: float32 moments, or the uint8 codes of an 8-bit
 * optimizer. Copies are exact, so a restored optimizer continues bit-identically.
 */
public sealed interface StateTensor {

  /** The tensor's shape ({@code []} for a scalar tensor). */
  long[] shape();

  /** A float32 tensor. */
  record Floats(long[] shape, float[] values) implements StateTensor {}

  /** A uint8 tensor (quantisation codes); values are the raw bytes, 0..255 read unsigned. */
  record Bytes(long[] shape, byte[] values) implements StateTensor {}

  /** Copies a live state tensor (float32 or uint8). */
  static StateTensor of(NDArray array) {
    long[] shape = array.getShape().getShape();
    if (array.getDataType() == DataType.UINT8) {
      return new Bytes(shape, array.toByteArray());
    }
    if (array.getDataType() == DataType.FLOAT32) {
      return new Floats(shape, HostCopy.floats(array));
    }
    throw new OptimizerStateException("state tensor of type " + array.getDataType()
        + " cannot be saved; only float32 and uint8 are used");
  }

  /** Creates the tensor in {@code manager}. */
  default NDArray toArray(NDManager manager) {
    Shape shape = new Shape(shape());
    if (this instanceof Bytes b) {
      return manager.create(ByteBuffer.wrap(b.values()), shape, DataType.UINT8);
    }
    return manager.create(((Floats) this).values(), shape);
  }
}
