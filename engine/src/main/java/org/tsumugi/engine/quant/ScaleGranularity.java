package org.tsumugi.engine.quant;

import java.util.Arrays;

/**
 * How many weights share one scale (reference/wan-model.md §5): blocks of 64 along a row when in_features divides by
 * 64, else one scale per output row, and one per tensor for anything not 2-D. Each group is a run of consecutive
 * elements in row-major order.
 */
public enum ScaleGranularity {
  BLOCK,
  CHANNEL,
  TENSOR;

  public static final int BLOCK_SIZE = 64;

  public static ScaleGranularity of(long[] shape) {
    if (shape.length != 2) {
      return TENSOR;
    }
    return shape[1] % BLOCK_SIZE == 0 ? BLOCK : CHANNEL;
  }

  /** Elements per scale. */
  public int groupSize(long[] shape) {
    return switch (this) {
      case BLOCK -> BLOCK_SIZE;
      case CHANNEL -> Math.toIntExact(shape[1]);
      case TENSOR -> Math.toIntExact(numel(shape));
    };
  }

  /** The stored scale's shape: [out, in/64, 1], [out, 1] or a 0-dim scalar. */
  public long[] scaleShape(long[] shape) {
    return switch (this) {
      case BLOCK -> new long[] {shape[0], shape[1] / BLOCK_SIZE, 1};
      case CHANNEL -> new long[] {shape[0], 1};
      case TENSOR -> new long[0];
    };
  }

  /** The granularity a stored scale's shape implies for {@code weightShape}, or refuses it by name. */
  public static ScaleGranularity ofScale(String key, long[] weightShape, long[] scaleShape) {
    for (ScaleGranularity g : values()) {
      if (g.applies(weightShape) && Arrays.equals(g.scaleShape(weightShape), scaleShape)) {
        return g;
      }
    }
    if (numel(scaleShape) == 1) {
      return TENSOR; // a per-tensor scale may also be stored as [1]
    }
    throw new IllegalArgumentException(key + " has shape " + Arrays.toString(scaleShape) + ", which is no scale of a "
        + Arrays.toString(weightShape) + " weight: expected [out, in/64, 1], [out, 1] or a scalar");
  }

  private boolean applies(long[] shape) {
    return this == TENSOR || (shape.length == 2 && (this == CHANNEL || shape[1] % BLOCK_SIZE == 0));
  }

  static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }
}
