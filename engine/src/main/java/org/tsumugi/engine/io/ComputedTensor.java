package org.tsumugi.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/** A tensor whose bytes are computed when the writer asks for them, so one tensor at a time is held in memory. */
public record ComputedTensor(String name, DType dtype, long[] shape, Computation bytes) implements TensorSource {

  public interface Computation {
    ByteBuffer compute() throws IOException;
  }

  /** A float32 tensor, cast to {@code dtype} as {@link TensorData#fromFloats} does, computed when asked for. */
  public static ComputedTensor ofFloats(String name, long[] shape, DType dtype, Supplier<float[]> values) {
    return new ComputedTensor(name, dtype, shape, () -> TensorData.fromFloats(name, values.get(), shape, dtype).data());
  }

  public ComputedTensor {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public ByteBuffer data() throws IOException {
    return bytes.compute();
  }
}
