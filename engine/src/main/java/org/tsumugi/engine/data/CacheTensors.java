package org.tsumugi.engine.data;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tsumugi.engine.io.SafetensorsFile;
import org.tsumugi.engine.io.SafetensorsFormatException;
import org.tsumugi.engine.io.TensorInfo;

/**
 * An open Wan cache file: its {@code architecture} metadata checked and its tensors indexed by batch entry. Every
 * failure, from a missing file to a corrupt header, becomes a {@link CacheFileException} naming the file.
 */
final class CacheTensors implements AutoCloseable {
  /** The {@code architecture} metadata value of Wan caches (short and full name are both "wan"). */
  static final String ARCHITECTURE = "wan";

  private final SafetensorsFile file;
  private final Map<CacheEntry, TensorInfo> entries;

  private CacheTensors(SafetensorsFile file, Map<CacheEntry, TensorInfo> entries) {
    this.file = file;
    this.entries = entries;
  }

  /** Opens {@code path}, keeping the tensors whose batch entry is in {@code wanted} (others are not used by Wan). */
  static CacheTensors open(Path path, Set<CacheEntry> wanted) throws CacheFileException {
    SafetensorsFile file = openFile(path);
    try {
      checkArchitecture(path, file.metadata());
      return new CacheTensors(file, index(path, file, wanted));
    } catch (CacheFileException | RuntimeException e) {
      closeQuietly(file, e);
      throw e;
    }
  }

  private static SafetensorsFile openFile(Path path) throws CacheFileException {
    try {
      return SafetensorsFile.open(path);
    } catch (NoSuchFileException e) {
      throw new CacheFileException(path, "file not found", e);
    } catch (SafetensorsFormatException e) {
      throw new CacheFileException(path, "not a valid safetensors file (corrupt or truncated?): "
          + fault(path, e), e);
    } catch (IOException e) {
      throw new CacheFileException(path, "cannot be read: " + e, e);
    }
  }

  private static String fault(Path path, SafetensorsFormatException e) {
    String prefix = path + ": ";
    String message = e.getMessage();
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  private static void checkArchitecture(Path path, Map<String, String> metadata) throws CacheFileException {
    String architecture = metadata.get("architecture");
    if (!ARCHITECTURE.equals(architecture)) {
      throw new CacheFileException(path, (architecture == null ? "has no architecture metadata"
          : "is a cache of architecture \"" + architecture + "\"") + "; Tsumugi trains Wan, whose caches have"
          + " architecture=\"" + ARCHITECTURE + "\"");
    }
  }

  private static Map<CacheEntry, TensorInfo> index(Path path, SafetensorsFile file, Set<CacheEntry> wanted)
      throws CacheFileException {
    Map<CacheEntry, TensorInfo> entries = new EnumMap<>(CacheEntry.class);
    for (TensorInfo t : file.tensors()) {
      Optional<CacheEntry> entry = CacheKeys.entry(t.name());
      if (entry.isEmpty() || !wanted.contains(entry.get())) {
        continue;
      }
      TensorInfo previous = entries.putIfAbsent(entry.get(), t);
      if (previous != null) {
        throw new CacheFileException(path, "tensors \"" + previous.name() + "\" and \"" + t.name() + "\" are both"
            + " the batch entry \"" + entry.get().batchName() + "\"; a cache file holds each entry once");
      }
    }
    return Collections.unmodifiableMap(entries);
  }

  Path path() {
    return file.path();
  }

  Map<String, String> metadata() {
    return file.metadata();
  }

  Map<CacheEntry, TensorInfo> entries() {
    return entries;
  }

  Optional<TensorInfo> find(CacheEntry entry) {
    return Optional.ofNullable(entries.get(entry));
  }

  TensorInfo require(CacheEntry entry, String keyPattern) throws CacheFileException {
    TensorInfo t = entries.get(entry);
    if (t == null) {
      throw new CacheFileException(path(), "has no \"" + entry.batchName() + "\" tensor (a key like " + keyPattern
          + "); it holds " + file.tensors().stream().map(TensorInfo::name).toList());
    }
    return t;
  }

  void requireFloating(TensorInfo t) throws CacheFileException {
    if (!t.dtype().isFloatingPoint()) {
      throw new CacheFileException(path(), "tensor \"" + t.name() + "\" is " + t.dtype()
          + "; it must be a floating-point tensor (BF16, F16, F32, ...)");
    }
  }

  void requireShape(TensorInfo t, long[] expected, String what) throws CacheFileException {
    if (!Arrays.equals(t.shape(), expected)) {
      throw new CacheFileException(path(), "tensor \"" + t.name() + "\" has shape " + Arrays.toString(t.shape())
          + "; " + what + " is " + Arrays.toString(expected));
    }
  }

  /** The tensor widened to float32; NaN or infinity is refused (the reference's cacher writes neither). */
  float[] readFloats(TensorInfo t) throws CacheFileException {
    float[] values;
    try {
      values = file.readFloats(t.name());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CacheFileException(path(), "tensor \"" + t.name() + "\" cannot be read: " + e.getMessage(), e);
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new CacheFileException(path(), "tensor \"" + t.name() + "\" holds " + values[i] + " at element " + i
            + "; cached values must be finite (re-cache this item)");
      }
    }
    return values;
  }

  long[] readLongs(TensorInfo t) throws CacheFileException {
    try {
      return file.readLongs(t.name());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CacheFileException(path(), "tensor \"" + t.name() + "\" cannot be read: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      file.close();
    } catch (IOException e) {
      // a read-only channel failing to close loses nothing; the mapping is released with its buffers
    }
  }

  private static void closeQuietly(SafetensorsFile file, Exception primary) {
    try {
      file.close();
    } catch (IOException e) {
      primary.addSuppressed(e);
    }
  }
}
