package org.tsumugi.engine.data;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.tsumugi.engine.io.TensorInfo;

/**
 * A Wan text-encoder cache file ({@code *_wan_te.safetensors}, reference/wan-model.md §4.2): {@code varlen_t5_{dtype}}
 * [L, 4096], the umt5 rows of the caption (L real tokens including EOS), checked against the model's text width and
 * length. Memory-mapped: opening reads only the header; close it after reading.
 */
public final class WanTextCache implements AutoCloseable {
  private final CacheTensors tensors;
  private final TensorInfo t5;

  private WanTextCache(CacheTensors tensors, TensorInfo t5) {
    this.tensors = tensors;
    this.t5 = t5;
  }

  /**
   * Opens and checks a text-encoder cache.
   *
   * @throws CacheFileException naming the file if it cannot be read, is not a Wan cache, has no T5 rows, or its rows
   *     do not fit the model (width ≠ text_dim, more than text_len rows, none at all)
   */
  public static WanTextCache open(Path file, CacheRequirements requirements) throws CacheFileException {
    CacheTensors tensors = CacheTensors.open(file, Set.of(CacheEntry.T5));
    try {
      TensorInfo t5 = tensors.require(CacheEntry.T5, "varlen_t5_bfloat16");
      check(tensors, t5, requirements);
      return new WanTextCache(tensors, t5);
    } catch (CacheFileException | RuntimeException e) {
      tensors.close();
      throw e;
    }
  }

  private static void check(CacheTensors tensors, TensorInfo t5, CacheRequirements requirements)
      throws CacheFileException {
    tensors.requireFloating(t5);
    long[] shape = t5.shape();
    if (shape.length != 2) {
      throw new CacheFileException(tensors.path(), "tensor \"" + t5.name() + "\" has rank " + shape.length
          + "; T5 rows are [L, " + requirements.textDim() + "]");
    }
    if (shape[1] != requirements.textDim()) {
      throw new CacheFileException(tensors.path(), "tensor \"" + t5.name() + "\" has rows of width " + shape[1]
          + " but the model's text_dim is " + requirements.textDim() + " (was it cached for another model?)");
    }
    if (shape[0] < 1 || shape[0] > requirements.textLen()) {
      throw new CacheFileException(tensors.path(), "tensor \"" + t5.name() + "\" has " + shape[0] + " rows; the"
          + " model takes 1 to text_len = " + requirements.textLen());
    }
  }

  public Path file() {
    return tensors.path();
  }

  /** L, the number of text rows. */
  public int length() {
    return (int) t5.shape()[0];
  }

  /** The caption the rows were encoded from ({@code caption1} metadata), if recorded. */
  public Optional<String> caption() {
    return Optional.ofNullable(tensors.metadata().get("caption1"));
  }

  /** The rows [L, text_dim] widened to float32. */
  public HostTensor readContext() throws CacheFileException {
    return new HostTensor(t5.shape(), tensors.readFloats(t5));
  }

  @Override
  public void close() {
    tensors.close();
  }
}
