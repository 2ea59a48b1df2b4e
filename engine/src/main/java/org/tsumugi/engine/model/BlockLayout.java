package org.tsumugi.engine.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.IntFunction;
import org.tsumugi.engine.tensor.ShapeMismatchException;

/**
 * The tensors a streamed block moves: keys relative to the block's prefix ({@code self_attn.q.weight}) with their
 * shapes, the same in every block.
 *
 * @param count number of blocks
 * @param prefix the key prefix of block i ({@code blocks.i.})
 * @param streamed relative key → shape, in checkpoint order
 */
public record BlockLayout(int count, IntFunction<String> prefix, Map<String, long[]> streamed) {

  /** Linear layers' weights: what the reference's block swap moves (reference/wan-model.md §6). */
  public static final BiPredicate<String, long[]> LINEAR_WEIGHTS = (key, shape) -> key.endsWith(".weight")
      && shape.length == 2;

  public BlockLayout {
    streamed = Collections.unmodifiableMap(new LinkedHashMap<>(streamed));
  }

  /**
   * The keys of block 0 that {@code streams} accepts, checked to exist with equal shapes in every block.
   *
   * @param shapes every key of the model with its shape
   * @param streams decides on a full key and its shape
   */
  public static BlockLayout of(Map<String, long[]> shapes, int count, IntFunction<String> prefix,
      BiPredicate<String, long[]> streams) {
    String first = prefix.apply(0);
    Map<String, long[]> streamed = new LinkedHashMap<>();
    shapes.forEach((key, shape) -> {
      if (key.startsWith(first) && streams.test(key, shape)) {
        streamed.put(key.substring(first.length()), shape);
      }
    });
    for (int b = 1; b < count; b++) {
      for (Map.Entry<String, long[]> e : streamed.entrySet()) {
        String key = prefix.apply(b) + e.getKey();
        long[] shape = shapes.get(key);
        if (shape == null || !Arrays.equals(shape, e.getValue())) {
          throw new ShapeMismatchException("block " + b + " has " + key + " " + Arrays.toString(shape)
              + " but block 0 has " + first + e.getKey() + " " + Arrays.toString(e.getValue())
              + ": streamed blocks must share one layout");
        }
      }
    }
    return new BlockLayout(count, prefix, streamed);
  }

  /** The full key of {@code relative} in block {@code block}. */
  public String key(int block, String relative) {
    return prefix.apply(block) + relative;
  }

  /** Float32 bytes of one block's streamed tensors (one slot). */
  public long slotBytes() {
    long total = 0;
    for (long[] shape : streamed.values()) {
      total += 4 * numel(shape);
    }
    return total;
  }

  static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }
}
