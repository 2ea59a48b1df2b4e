package org.tsumugi.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.tsumugi.engine.io.Bf16;
import org.tsumugi.engine.io.Checkpoint;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.Fp16;
import org.tsumugi.engine.io.SafetensorsFile;
import org.tsumugi.engine.io.TensorInfo;

/**
 * The checkpoint on disk as the offload tier. Tensors are read with positional reads rather than through the memory
 * mapping, so the page cache serves repeated reads without the file's pages counting as this process's resident
 * memory (a mapped page that was touched stays in the process's RSS).
 */
public final class CheckpointTier implements WeightTier, AutoCloseable {
  private static final int DECODE_CHUNK = 1 << 16;

  private final Checkpoint checkpoint;
  private final String prefix;
  private final Map<Path, FileChannel> channels = new HashMap<>();
  private ByteBuffer staging = ByteBuffer.allocateDirect(0);

  /** @param prefix what the checkpoint's names carry before the model's keys ("" or the release prefix) */
  public CheckpointTier(Checkpoint checkpoint, String prefix) {
    this.checkpoint = checkpoint;
    this.prefix = prefix;
  }

  /**
   * The tensor as float32 in {@code manager}, read without touching the mapping (F32, BF16 and F16; other dtypes go
   * through the checkpoint's own loader).
   */
  public NDArray load(String key, NDManager manager) {
    TensorInfo info = info(key);
    if (info.dtype() != DType.F32 && info.dtype() != DType.BF16 && info.dtype() != DType.F16) {
      return checkpoint.load(manager, name(key));
    }
    ByteBuffer values = manager.allocateDirect(Math.toIntExact(4 * info.numel()));
    read(key, values);
    return manager.create(values, new Shape(info.shape()), DataType.FLOAT32);
  }

  public DType dtype(String key) {
    return checkpoint.info(name(key)).dtype();
  }

  public TensorInfo info(String key) {
    return checkpoint.info(name(key));
  }

  /** Widens F32, BF16 or F16 values into {@code into}; other dtypes are refused by name. */
  @Override
  public synchronized void read(String key, ByteBuffer into) {
    TensorInfo info = info(key);
    ByteBuffer out = into.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    switch (info.dtype()) {
      case F32 -> readRaw(key, out.limit((int) info.byteLength()));
      case BF16, F16 -> widen(key, info, out);
      default -> throw new IllegalArgumentException(checkpoint.path() + ": tensor " + info.name() + " is "
          + info.dtype() + "; a streamed weight must be F32, BF16 or F16 (fp8 weights need their scales)");
    }
  }

  private void widen(String key, TensorInfo info, ByteBuffer out) {
    int count = Math.toIntExact(info.numel());
    ByteBuffer raw = stage(info.byteLength());
    readRaw(key, raw);
    raw.flip();
    float[] chunk = new float[Math.min(DECODE_CHUNK, count)];
    for (int done = 0; done < count; ) {
      int n = Math.min(chunk.length, count - done);
      ByteBuffer part = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(2 * done);
      if (info.dtype() == DType.BF16) {
        Bf16.decode(part, chunk, 0, n);
      } else {
        Fp16.decode(part, chunk, 0, n);
      }
      out.asFloatBuffer().put(done, chunk, 0, n);
      done += n;
    }
  }

  /** Reads the tensor's stored bytes into {@code dst} from its position to its limit (which must be the size). */
  public synchronized void readRaw(String key, ByteBuffer dst) {
    String name = name(key);
    SafetensorsFile file = checkpoint.file(name);
    TensorInfo info = file.info(name);
    if (dst.remaining() != info.byteLength()) {
      throw new IllegalArgumentException(name + ": " + dst.remaining() + " bytes asked, the tensor has "
          + info.byteLength());
    }
    try {
      FileChannel ch = channel(file.path());
      long at = file.dataOffset() + info.dataStart();
      while (dst.hasRemaining()) {
        int n = ch.read(dst, at);
        if (n < 0) {
          throw new IOException("unexpected end of file reading " + name);
        }
        at += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file.path() + ": cannot read tensor " + name, e);
    }
  }

  private ByteBuffer stage(long bytes) {
    if (staging.capacity() < bytes) {
      staging = ByteBuffer.allocateDirect(Math.toIntExact(bytes));
    }
    return staging.clear().limit((int) bytes);
  }

  private FileChannel channel(Path path) throws IOException {
    FileChannel ch = channels.get(path);
    if (ch == null) {
      ch = FileChannel.open(path, StandardOpenOption.READ);
      channels.put(path, ch);
    }
    return ch;
  }

  private String name(String key) {
    return checkpoint.find(prefix + key).isPresent() ? prefix + key : key;
  }

  @Override
  public synchronized void close() throws IOException {
    for (FileChannel ch : channels.values()) {
      ch.close();
    }
    channels.clear();
  }
}
