package org.tsumugi.engine.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteOrder;

/**
 * Copies of tensors into Java arrays in one pass. DJL's {@code toFloatArray} first copies into a fresh direct buffer
 * (allocated, zeroed, and freed only by a later GC) and then into the array; reading through a view of the tensor's own
 * memory skips that, which matters for snapshots taken between two steps and for optimizers that step on the host.
 */
public final class HostCopy {
  private HostCopy() {}

  /** The values of a float32 tensor, row-major. */
  public static float[] floats(NDArray t) {
    if (t.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException("expected a float32 tensor, got " + t.getDataType() + " " + t.getShape());
    }
    float[] out = new float[Math.toIntExact(t.size())];
    t.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer().get(out);
    return out;
  }
}
