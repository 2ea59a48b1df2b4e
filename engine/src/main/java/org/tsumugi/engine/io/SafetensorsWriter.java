package org.tsumugi.engine.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes safetensors files byte for byte as the safetensors library does (reference/lora-and-ema.md §1.10), atomically
 * (temporary file, fsync, rename, fsync directory). Tensors are streamed one at a time, so files of any size can be
 * written; the metadata's key order is kept.
 */
public final class SafetensorsWriter {
  /** Heap buffers are written in slices so the JDK's temporary direct buffer stays small. */
  private static final int WRITE_SLICE = 1 << 20;

  private SafetensorsWriter() {}

  /** Writes the tensors with {@code metadata} as {@code __metadata__} (present even when empty). */
  public static void write(Path file, Map<String, String> metadata, List<? extends TensorSource> tensors)
      throws IOException {
    SafetensorsLayout layout = SafetensorsLayout.plan(Optional.of(metadata), tensors);
    AtomicFile.write(file, channel -> {
      writeFully(channel, ByteBuffer.wrap(layout.prefix()), 0);
      writeData(channel, layout, null);
    });
  }

  /** Writes the tensors with no {@code __metadata__} entry, as the library does when given none. */
  public static void writeWithoutMetadata(Path file, List<? extends TensorSource> tensors) throws IOException {
    SafetensorsLayout layout = SafetensorsLayout.plan(Optional.empty(), tensors);
    AtomicFile.write(file, channel -> {
      writeFully(channel, ByteBuffer.wrap(layout.prefix()), 0);
      writeData(channel, layout, null);
    });
  }

  /**
   * Writes the tensors as the reference's {@code save_weights} does: {@code sshs_model_hash} and
   * {@code sshs_legacy_hash} computed over the tensors and the {@code ss_*} metadata, set into (a copy of) the metadata,
   * then saved. One pass over the tensors: the data goes to disk while it is hashed and the header is written last.
   */
  public static SafetensorsHashes writeHashed(Path file, Map<String, String> metadata,
      List<? extends TensorSource> tensors) throws IOException {
    SafetensorsHashes placeholder = new SafetensorsHashes("0".repeat(64), "0".repeat(8));
    SafetensorsLayout layout = SafetensorsLayout.plan(Optional.of(placeholder.applyTo(metadata)), tensors);
    HashStream hashing = new HashStream(SafetensorsHashes.layoutFor(metadata, tensors).prefix());
    SafetensorsHashes[] result = new SafetensorsHashes[1];
    AtomicFile.write(file, channel -> {
      writeData(channel, layout, hashing);
      result[0] = hashing.finish();
      byte[] prefix = SafetensorsLayout.plan(Optional.of(result[0].applyTo(metadata)), tensors).prefix();
      if (prefix.length != layout.dataOffset()) {
        throw new IllegalStateException("header length changed between planning and writing " + file);
      }
      writeFully(channel, ByteBuffer.wrap(prefix), 0);
    });
    return result[0];
  }

  /** The padded JSON header the library would write (without the 8-byte length in front). */
  public static byte[] serializeHeader(Map<String, String> metadata, List<? extends TensorSource> tensors) {
    return SafetensorsLayout.plan(Optional.of(metadata), tensors).header().clone();
  }

  /**
   * Streams the file front to back into {@code out}: the header, then each tensor as the writer asks for its bytes, so
   * memory stays bounded by one tensor (for a sink that hashes or paces what passes through it).
   */
  public static void writeTo(OutputStream out, Map<String, String> metadata, List<? extends TensorSource> tensors)
      throws IOException {
    SafetensorsLayout layout = SafetensorsLayout.plan(Optional.of(metadata), tensors);
    out.write(layout.prefix());
    byte[] chunk = null;
    for (int i = 0; i < layout.order().size(); i++) {
      ByteBuffer bytes = checkedData(layout, i).duplicate();
      if (bytes.hasArray()) {
        out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        continue;
      }
      chunk = chunk != null ? chunk : new byte[WRITE_SLICE];
      while (bytes.hasRemaining()) {
        int n = Math.min(chunk.length, bytes.remaining());
        bytes.get(chunk, 0, n);
        out.write(chunk, 0, n);
      }
    }
  }

  /** A whole file in memory, as {@code safetensors.torch.save} returns it (small tensors only: up to 2 GiB). */
  public static byte[] serialize(Map<String, String> metadata, List<? extends TensorSource> tensors)
      throws IOException {
    SafetensorsLayout layout = SafetensorsLayout.plan(Optional.of(metadata), tensors);
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.toIntExact(layout.dataOffset() + layout.dataLength()));
    writeTo(out, metadata, tensors);
    return out.toByteArray();
  }

  private static void writeData(FileChannel channel, SafetensorsLayout layout, HashStream hashing)
      throws IOException {
    long position = layout.dataOffset();
    for (int i = 0; i < layout.order().size(); i++) {
      ByteBuffer bytes = checkedData(layout, i);
      if (hashing != null) {
        hashing.update(bytes);
      }
      position = writeFully(channel, bytes, position);
    }
  }

  private static ByteBuffer checkedData(SafetensorsLayout layout, int index) throws IOException {
    TensorSource t = layout.order().get(index);
    TensorInfo entry = layout.entries().get(index);
    ByteBuffer bytes = t.data();
    if (bytes.remaining() != entry.byteLength()) {
      throw new IllegalArgumentException("tensor \"" + t.name() + "\" produced " + bytes.remaining()
          + " bytes; its shape and dtype need " + entry.byteLength());
    }
    return bytes;
  }

  private static long writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
    ByteBuffer rest = bytes.duplicate();
    long at = position;
    while (rest.hasRemaining()) {
      ByteBuffer slice = rest.isDirect() ? rest.slice() : rest.slice().limit(Math.min(WRITE_SLICE, rest.remaining()));
      int n = channel.write(slice, at);
      rest.position(rest.position() + n);
      at += n;
    }
    return at;
  }
}
