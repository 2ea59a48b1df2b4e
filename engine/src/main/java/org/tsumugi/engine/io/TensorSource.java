package org.tsumugi.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A tensor to be written: its header entry and, on demand, its bytes. The writer asks for {@link #data()} once, in
 * write order, and drops it after writing, so a source may compute its tensor lazily (post-hoc EMA does) and memory
 * stays bounded by one tensor.
 */
public interface TensorSource {
  String name();

  DType dtype();

  long[] shape();

  /** Little-endian bytes, exactly numel × dtype size, from the buffer's position to its limit. */
  ByteBuffer data() throws IOException;
}
