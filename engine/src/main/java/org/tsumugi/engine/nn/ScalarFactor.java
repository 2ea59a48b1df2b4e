package org.tsumugi.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplying or dividing by a constant inside an autograd graph. DJL's {@code mul(Number)}/{@code div(Number)} wrap
 * the number in a 0-dim tensor over a Java direct buffer and close it at once; autograd keeps that tensor for the
 * backward, and once the JVM collects the buffer the backward reads freed memory (garbage gradients after any GC
 * between forward and backward). Here the factor is a libtorch-owned tensor, which autograd keeps alive itself.
 */
public final class ScalarFactor {

  private ScalarFactor() {}

  /** x · factor, with the same float32 result as {@code x.mul(factor)}. */
  public static NDArray mul(NDArray x, float factor) {
    try (NDArray f = x.getManager().full(new Shape(), factor, DataType.FLOAT32)) {
      return x.mul(f);
    }
  }

  /** x / divisor, with the same float32 result as {@code x.div(divisor)}. */
  public static NDArray div(NDArray x, float divisor) {
    try (NDArray d = x.getManager().full(new Shape(), divisor, DataType.FLOAT32)) {
      return x.div(d);
    }
  }
}
