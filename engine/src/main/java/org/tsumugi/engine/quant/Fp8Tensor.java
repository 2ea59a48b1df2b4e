package org.tsumugi.engine.quant;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A weight held as fp8 e4m3 codes plus one float scale per group (the values of the reference's bf16
 * {@code scale_weight}, widened exactly).
 *
 * @param shape the weight's shape [out, in]
 * @param codes one byte per element, row-major (position 0)
 * @param scales one per group, in group order
 * @param precision the dtype the dequantised product is rounded to (the source weight's)
 */
public record Fp8Tensor(long[] shape, ScaleGranularity granularity, ByteBuffer codes, FloatBuffer scales,
    SourcePrecision precision) {

  public Fp8Tensor {
    shape = shape.clone();
    long numel = ScaleGranularity.numel(shape);
    if (codes.capacity() < numel || scales.capacity() != numel / granularity.groupSize(shape)) {
      throw new IllegalArgumentException("fp8 tensor " + Arrays.toString(shape) + " needs " + numel + " codes and "
          + numel / granularity.groupSize(shape) + " scales, got " + codes.capacity() + " and " + scales.capacity());
    }
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public int numel() {
    return Math.toIntExact(ScaleGranularity.numel(shape));
  }

  /**
   * Writes the dequantised float32 values into {@code into} (little-endian, from its position 0). This runs for every
   * block brought into a slot, forward and backward, so it works a group at a time with the precision chosen once.
   */
  public void dequantiseInto(ByteBuffer into) {
    FloatBuffer out = into.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    int size = granularity.groupSize(shape);
    int chunk = Math.max(size, (1 << 16) / size * size); // whole groups per chunk
    byte[] in = new byte[Math.min(chunk, numel())];
    float[] values = new float[in.length];
    for (int from = 0; from < numel(); from += in.length) {
      int n = Math.min(in.length, numel() - from);
      codes.get(from, in, 0, n);
      for (int g = 0; g < n; g += size) {
        ScaledFp8.decodeGroup(in, g, size, scales.get((from + g) / size), precision, values);
      }
      out.put(from, values, 0, n);
    }
  }

  /** The dequantised weight as a float array (tests, small tensors). */
  public float[] dequantise() {
    ByteBuffer buffer = ByteBuffer.allocate(4 * numel()).order(ByteOrder.LITTLE_ENDIAN);
    dequantiseInto(buffer);
    float[] out = new float[numel()];
    buffer.asFloatBuffer().get(out);
    return out;
  }

  /** The codes as stored (a copy). */
  public byte[] codeBytes() {
    byte[] out = new byte[numel()];
    codes.get(0, out);
    return out;
  }

  /** The scales as floats (a copy). */
  public float[] scaleValues() {
    float[] out = new float[scales.capacity()];
    scales.get(0, out);
    return out;
  }

  /** Bytes this weight occupies: codes plus float32 scales. */
  public long residentBytes() {
    return numel() + 4L * scales.capacity();
  }
}
