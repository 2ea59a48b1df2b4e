package org.tsumugi.engine.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Read-only memory mapping of a file region of any length. A single mapping holds at most 2 GiB, so the region is
 * covered by lazily mapped windows of length 2·stride starting every stride bytes: any span no longer than the stride
 * lies inside one window. Longer spans get a mapping of their own. Nothing is mapped until a span is asked for.
 */
final class MappedRegion {
  static final long DEFAULT_STRIDE = 1L << 29;

  private final FileChannel channel;
  private final long base;
  private final long length;
  private final long stride;
  private final MappedByteBuffer[] windows;

  MappedRegion(FileChannel channel, long base, long length, long stride) {
    if (stride <= 0 || 2 * stride > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("window stride must be in (0, 1 GiB], got " + stride);
    }
    this.channel = channel;
    this.base = base;
    this.length = length;
    this.stride = stride;
    this.windows = new MappedByteBuffer[Math.toIntExact(length / stride + 1)];
  }

  /** Little-endian read-only view of {@code [start, end)}, relative to the region's base. */
  ByteBuffer slice(long start, long end) {
    long size = end - start;
    if (start < 0 || size < 0 || end > length) {
      throw new IndexOutOfBoundsException("span [" + start + "," + end + ") outside a region of " + length + " bytes");
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a span of " + size + " bytes exceeds one buffer's 2^31-1 bytes");
    }
    if (size == 0) {
      return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
    ByteBuffer view;
    if (size > stride) {
      view = map(start, size);
    } else {
      int k = (int) (start / stride);
      view = window(k).duplicate().position((int) (start - k * stride)).limit((int) (end - k * stride)).slice();
    }
    return view.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  private synchronized MappedByteBuffer window(int k) {
    if (windows[k] == null) {
      long start = k * stride;
      windows[k] = map(start, Math.min(2 * stride, length - start));
    }
    return windows[k];
  }

  private MappedByteBuffer map(long start, long size) {
    try {
      return channel.map(FileChannel.MapMode.READ_ONLY, base + start, size);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot map bytes [" + (base + start) + "," + (base + start + size) + ")", e);
    }
  }
}
