package org.tsumugi.engine.ema;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.TensorSource;

/** A tensor whose bytes are computed when the writer asks for them, so one tensor at a time is held in memory. */
record ComputedTensor(String name, DType dtype, long[] shape, Computation bytes) implements TensorSource {

  interface Computation {
    ByteBuffer compute() throws IOException;
  }

  ComputedTensor {
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
