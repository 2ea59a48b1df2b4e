package org.tsumugi.engine.quant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tsumugi.engine.model.WeightTier;

/**
 * Swapped fp8 blocks of a float checkpoint, quantised once at load into a scratch file, so that bringing a block in
 * costs what it costs for a checkpoint stored as scaled fp8 (read codes and scales, dequantise) rather than a
 * quantisation of its float weights on every fetch. The dequantised values are those of {@link Fp8RoundTripTier}, bit
 * for bit: same codes, same float32 scales, same decode.
 *
 * <p>Each weight's codes are followed by its float32 scales (little-endian). The file lives alone in a fresh directory
 * that only this object knows and is read only once complete, so it is written in place, not atomically; {@link
 * #close()} deletes both. Fetches use positional reads, as {@link org.tsumugi.engine.model.CheckpointTier} does: the
 * file stays in the page cache without its touched pages counting as the process's resident memory, as a mapping's
 * would.
 */
public final class Fp8ScratchFile implements WeightTier, AutoCloseable {

  private final Path directory;
  private final Path file;
  private final FileChannel channel;
  private final Map<String, Entry> entries;
  private ByteBuffer staging = ByteBuffer.allocateDirect(0);

  /** Where one weight lies in the file and how to decode it. */
  private record Entry(long offset, long[] shape, ScaleGranularity granularity, SourcePrecision precision) {
    int numel() {
      return Math.toIntExact(ScaleGranularity.numel(shape));
    }

    int groups() {
      return numel() / granularity.groupSize(shape);
    }

    int bytes() {
      return Math.addExact(numel(), Math.multiplyExact(4, groups()));
    }
  }

  private Fp8ScratchFile(Path directory, Path file, FileChannel channel, Map<String, Entry> entries) {
    this.directory = directory;
    this.file = file;
    this.channel = channel;
    this.entries = Collections.unmodifiableMap(entries);
  }

  /**
   * Quantises {@code keys}' weights (float32 values from {@code values}, scale arithmetic in {@code precision}'s
   * dtype) into a new scratch file in a fresh directory under {@code parent}.
   *
   * @throws IOException naming the file if it cannot be written (it is removed again)
   */
  public static Fp8ScratchFile write(Path parent, List<String> keys, Map<String, long[]> shapes, WeightTier values,
      Function<String, SourcePrecision> precision) throws IOException {
    Path directory = Files.createTempDirectory(parent, "tsumugi-fp8-");
    Path file = directory.resolve("swapped-blocks.fp8");
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      Map<String, Entry> entries = quantiseAll(channel, keys, shapes, values, precision);
      return new Fp8ScratchFile(directory, file, channel, entries);
    } catch (IOException e) {
      IOException failure = new IOException(file + ": cannot write the fp8 scratch file: " + e.getMessage(), e);
      discard(channel, file, directory, failure);
      throw failure;
    } catch (RuntimeException | Error e) {
      discard(channel, file, directory, e);
      throw e;
    }
  }

  private static void discard(FileChannel channel, Path file, Path directory, Throwable failure) {
    try {
      if (channel != null) {
        channel.close();
      }
      Files.deleteIfExists(file);
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  private static Map<String, Entry> quantiseAll(FileChannel channel, List<String> keys, Map<String, long[]> shapes,
      WeightTier values, Function<String, SourcePrecision> precision) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    ByteBuffer floats = ByteBuffer.allocateDirect(0);
    ByteBuffer out = ByteBuffer.allocateDirect(0);
    long offset = 0;
    for (String key : keys) {
      long[] shape = shapes.get(key);
      if (shape == null) {
        throw new IllegalArgumentException("no weight " + key + " to quantise into the fp8 scratch file");
      }
      Entry entry = new Entry(offset, shape.clone(), ScaleGranularity.of(shape), precision.apply(key));
      floats = atLeast(floats, Math.multiplyExact(4, entry.numel()));
      out = atLeast(out, entry.bytes());
      values.read(key, floats);
      ScaledFp8.quantiseInto(floats, shape, entry.precision(), out.slice(0, entry.numel()),
          out.slice(entry.numel(), 4 * entry.groups()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
      ByteBuffer rest = out.duplicate();
      for (long at = offset; rest.hasRemaining(); ) {
        at += channel.write(rest, at);
      }
      entries.put(key, entry);
      offset += entry.bytes();
    }
    return entries;
  }

  /** A buffer of exactly {@code bytes} remaining: {@code buffer} when it is big enough, else a new one. */
  private static ByteBuffer atLeast(ByteBuffer buffer, int bytes) {
    ByteBuffer b = buffer.capacity() < bytes ? ByteBuffer.allocateDirect(bytes) : buffer;
    return b.clear().limit(bytes);
  }

  public Path path() {
    return file;
  }

  /** Bytes of codes and scales on disk. */
  public long bytes() {
    return entries.values().stream().mapToLong(Entry::bytes).sum();
  }

  @Override
  public synchronized void read(String key, ByteBuffer into) {
    Entry entry = entries.get(key);
    if (entry == null) {
      throw new IllegalArgumentException("no weight " + key + " in the fp8 scratch file " + file + " (it holds "
          + entries.size() + " swapped weights)");
    }
    staging = atLeast(staging, entry.bytes());
    try {
      for (long at = entry.offset(); staging.hasRemaining(); ) {
        int n = channel.read(staging, at);
        if (n < 0) {
          throw new IOException("unexpected end of file");
        }
        at += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read " + key + " " + Arrays.toString(entry.shape()), e);
    }
    new Fp8Tensor(entry.shape(), entry.granularity(), staging.slice(0, entry.numel()),
        staging.slice(entry.numel(), 4 * entry.groups()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer(),
        entry.precision()).dequantiseInto(into);
  }

  /** Closes and deletes the file and its directory. */
  @Override
  public synchronized void close() throws IOException {
    try {
      channel.close();
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(directory);
    }
  }
}
