package org.tsumugi.engine.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One logical tensor store over a single safetensors file or a sharded set ({@code *.safetensors.index.json}, or any
 * part of a {@code -0000k-of-0000N.safetensors} set). Tensors are read lazily, one at a time.
 */
public final class Checkpoint implements AutoCloseable {
  private final Path path;
  private final List<SafetensorsFile> files;
  private final Map<String, SafetensorsFile> owner;

  private Checkpoint(Path path, List<SafetensorsFile> files, Map<String, SafetensorsFile> owner) {
    this.path = path;
    this.files = files;
    this.owner = owner;
  }

  /**
   * Opens a {@code .safetensors} file, an {@code .index.json} or one part of a split set (which opens all parts).
   *
   * @throws SafetensorsFormatException if a file is invalid, a tensor appears in two shards, or the index disagrees
   *     with the shards
   */
  public static Checkpoint open(Path path) throws IOException {
    CheckpointParts parts = CheckpointParts.resolve(path);
    List<SafetensorsFile> files = new ArrayList<>();
    try {
      for (Path part : parts.files()) {
        files.add(SafetensorsFile.open(part));
      }
      return new Checkpoint(path, List.copyOf(files), owners(path, files, parts.weightMap()));
    } catch (IOException | RuntimeException e) {
      for (SafetensorsFile f : files) {
        f.close();
      }
      throw e;
    }
  }

  private static Map<String, SafetensorsFile> owners(
      Path path, List<SafetensorsFile> files, Optional<Map<String, Path>> weightMap)
      throws SafetensorsFormatException {
    Map<String, SafetensorsFile> owner = new LinkedHashMap<>();
    for (SafetensorsFile f : files) {
      for (TensorInfo t : f.tensors()) {
        SafetensorsFile previous = owner.putIfAbsent(t.name(), f);
        if (previous != null) {
          throw new SafetensorsFormatException(path, "tensor \"" + t.name() + "\" is in both " + previous.path()
              + " and " + f.path());
        }
      }
    }
    if (weightMap.isPresent()) {
      checkIndex(path, owner, weightMap.get());
    }
    return Collections.unmodifiableMap(owner);
  }

  private static void checkIndex(Path index, Map<String, SafetensorsFile> owner, Map<String, Path> weightMap)
      throws SafetensorsFormatException {
    for (Map.Entry<String, Path> e : weightMap.entrySet()) {
      SafetensorsFile holder = owner.get(e.getKey());
      if (holder == null || !holder.path().equals(e.getValue())) {
        throw new SafetensorsFormatException(index, "weight_map puts tensor \"" + e.getKey() + "\" in "
            + e.getValue().getFileName() + " but " + (holder == null ? "no shard holds it" : "it is in " + holder.path()));
      }
    }
    if (owner.size() != weightMap.size()) {
      String unlisted = owner.keySet().stream().filter(k -> !weightMap.containsKey(k)).findFirst().orElseThrow();
      throw new SafetensorsFormatException(index, "tensor \"" + unlisted + "\" of " + owner.get(unlisted).path()
          + " is not in weight_map");
    }
  }

  /** The path this checkpoint was opened from. */
  public Path path() {
    return path;
  }

  /** The files, in part order. */
  public List<SafetensorsFile> files() {
    return files;
  }

  /** {@code __metadata__} of the first file (an index's own "metadata" holds only sizes). */
  public Map<String, String> metadata() {
    return files.get(0).metadata();
  }

  /** Every tensor name, part by part in file order. */
  public Set<String> names() {
    return owner.keySet();
  }

  public Optional<TensorInfo> find(String name) {
    SafetensorsFile f = owner.get(name);
    return f == null ? Optional.empty() : f.find(name);
  }

  /** @throws IllegalArgumentException naming the checkpoint and the missing tensor */
  public TensorInfo info(String name) {
    return file(name).info(name);
  }

  /** The file that holds a tensor. */
  public SafetensorsFile file(String name) {
    SafetensorsFile f = owner.get(name);
    if (f == null) {
      throw new IllegalArgumentException(path + ": no tensor \"" + name + "\" (the checkpoint holds " + owner.size()
          + " tensors)");
    }
    return f;
  }

  public ByteBuffer rawBytes(String name) {
    return file(name).rawBytes(name);
  }

  public TensorData tensorData(String name) {
    return file(name).tensorData(name);
  }

  public float[] readFloats(String name) {
    return file(name).readFloats(name);
  }

  public long[] readLongs(String name) {
    return file(name).readLongs(name);
  }

  /**
   * The tensor as a DJL array attached to {@code manager}: FLOAT32 for every floating-point dtype (bf16/f16/f8/f64
   * converted in Java), BOOLEAN, UINT8, INT8, INT32 (for I16, U16, I32) or INT64 (for U32, I64, U64) otherwise.
   */
  public NDArray load(NDManager manager, String name) {
    SafetensorsFile f = file(name);
    return DjlTensors.create(manager, f.path().toString(), f.info(name), f.rawBytes(name));
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (SafetensorsFile f : files) {
      try {
        f.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
