package org.tsumugi.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One safetensors file, memory-mapped. Opening reads and validates only the header, so a file of any size opens at
 * once; each tensor's bytes are mapped when first asked for. Views stay valid after {@link #close()} (the mapping
 * lives as long as they do), but no new view can be taken.
 */
public final class SafetensorsFile implements AutoCloseable {
  /** The safetensors library refuses headers above 100 MB; so do we, before allocating anything. */
  static final int MAX_HEADER_BYTES = 100_000_000;

  private final Path path;
  private final FileChannel channel;
  private final long headerLength;
  private final SafetensorsHeader header;
  private final Map<String, TensorInfo> byName;
  private final MappedRegion data;
  private volatile boolean closed;

  private SafetensorsFile(
      Path path, FileChannel channel, long headerLength, SafetensorsHeader header, MappedRegion data) {
    this.path = path;
    this.channel = channel;
    this.headerLength = headerLength;
    this.header = header;
    this.byName = new LinkedHashMap<>();
    header.tensors().forEach(t -> byName.put(t.name(), t));
    this.data = data;
  }

  /**
   * Opens and validates a file.
   *
   * @throws SafetensorsFormatException if the file is not valid safetensors (the message names file and fault)
   * @throws IOException if it cannot be read
   */
  public static SafetensorsFile open(Path path) throws IOException {
    return open(path, MappedRegion.DEFAULT_STRIDE);
  }

  static SafetensorsFile open(Path path, long stride) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      long size = channel.size();
      long headerLength = headerLength(path, channel, size);
      ByteBuffer json = ByteBuffer.allocate((int) headerLength);
      readFully(channel, json, 8);
      long dataLength = size - 8 - headerLength;
      SafetensorsHeader header = HeaderParser.parse(path, json.array(), dataLength);
      MappedRegion data = new MappedRegion(channel, 8 + headerLength, dataLength, stride);
      return new SafetensorsFile(path, channel, headerLength, header, data);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static long headerLength(Path path, FileChannel channel, long size) throws IOException {
    if (size < 8) {
      throw new SafetensorsFormatException(path, "truncated file: " + size
          + " bytes, but a safetensors file starts with an 8-byte header length");
    }
    ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, prefix, 0);
    long n = prefix.getLong(0);
    if (n < 0 || n > MAX_HEADER_BYTES) {
      throw new SafetensorsFormatException(path, "header length " + Long.toUnsignedString(n)
          + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
    }
    if (n > size - 8) {
      throw new SafetensorsFormatException(path, "header length " + n + " runs past the end of the file ("
          + size + " bytes): truncated file?");
    }
    return n;
  }

  private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
    long at = position;
    while (into.hasRemaining()) {
      int n = channel.read(into, at);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + at);
      }
      at += n;
    }
  }

  public Path path() {
    return path;
  }

  /** {@code __metadata__} in file order; empty when the file has none. */
  public Map<String, String> metadata() {
    return header.metadata().orElse(Map.of());
  }

  /** Whether the header has a {@code __metadata__} entry at all (an empty one counts). */
  public boolean hasMetadata() {
    return header.metadata().isPresent();
  }

  /** Every tensor in file order (ascending data offsets). */
  public List<TensorInfo> tensors() {
    return header.tensors();
  }

  public Optional<TensorInfo> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** @throws IllegalArgumentException naming the file and the missing tensor */
  public TensorInfo info(String name) {
    TensorInfo t = byName.get(name);
    if (t == null) {
      throw new IllegalArgumentException(path + ": no tensor \"" + name + "\" (the file holds " + byName.size()
          + " tensors)");
    }
    return t;
  }

  /** Length of the JSON header (without the 8-byte length prefix), padding included. */
  public long headerLength() {
    return headerLength;
  }

  /** Absolute file offset where the data section starts: 8 + headerLength. */
  public long dataOffset() {
    return 8 + headerLength;
  }

  /** Read-only little-endian view of a tensor's bytes, mapped on demand. */
  public ByteBuffer rawBytes(String name) {
    TensorInfo t = info(name);
    if (closed) {
      throw new IllegalStateException(path + " is closed");
    }
    return data.slice(t.dataStart(), t.dataEnd());
  }

  /** The tensor as data to write elsewhere (a view, no copy). */
  public TensorData tensorData(String name) {
    TensorInfo t = info(name);
    return new TensorData(t.name(), t.dtype(), t.shape(), rawBytes(name));
  }

  /** Any floating-point tensor widened (F64 narrowed) to float32. */
  public float[] readFloats(String name) {
    return TensorDecoding.floats(path.toString(), info(name), rawBytes(name));
  }

  /** Like {@link #readFloats(String)} into {@code dst[0..numel)}, so a caller streaming many tensors can reuse it. */
  public float[] readFloats(String name, float[] dst) {
    return TensorDecoding.floats(path.toString(), info(name), rawBytes(name), dst);
  }

  /** Any integer or BOOL tensor as long (U64 as two's-complement bits). */
  public long[] readLongs(String name) {
    return TensorDecoding.longs(path.toString(), info(name), rawBytes(name));
  }

  @Override
  public void close() throws IOException {
    closed = true;
    channel.close();
  }

  @Override
  public String toString() {
    return "SafetensorsFile[" + path + ", " + byName.size() + " tensors]";
  }
}
