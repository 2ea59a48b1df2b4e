package org.tsumugi.engine.quant;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.tsumugi.engine.io.Bf16;
import org.tsumugi.engine.io.Fp8E4M3;

/**
 * The reference's scaled fp8 e4m3 quantisation (reference/wan-model.md §5; musubi's {@code quantize_weight},
 * {@code quantize_fp8} and the patched linear forward), per group of weights sharing a scale:
 * <pre>
 *   s = max|W_g| / 448           in the source precision (NaN if the group holds a NaN)
 *   s = clamp(s, min = 1e-8)     in the source precision, then float32
 *   Q = fp8(clamp(nan_to_num(W / s, 0), -448, 448))   float32 division, round to nearest even
 *   W' = Q · s                   rounded to the source precision (the reference dequantises in the weight's dtype)
 * </pre>
 */
public final class ScaledFp8 {

  public static final float MAX = 448f;
  /** The clamp's bound, as float32 before rounding to the source precision. */
  public static final float MIN_SCALE = (float) 1e-8;

  private ScaledFp8() {}

  /** The scale of one group of {@code values[from, from + count)}. */
  public static float scale(float[] values, int from, int count, SourcePrecision p) {
    float max = 0f;
    for (int i = from; i < from + count; i++) {
      float a = Math.abs(values[i]);
      if (Float.isNaN(a)) {
        return Float.NaN; // torch.max propagates NaN, and clamp keeps it
      }
      max = Math.max(max, a);
    }
    float s = p.round(max / MAX);
    float min = p.round(MIN_SCALE);
    return s < min ? min : s;
  }

  /** The fp8 code of {@code w / scale}. */
  public static byte encode(float w, float scale) {
    float q = w / scale;
    if (Float.isNaN(q)) {
      q = 0f;
    }
    return Fp8E4M3.fromFloat(Math.max(-MAX, Math.min(MAX, q))); // ±Inf clamp to ±448, as nan_to_num then clamp
  }

  public static float decode(byte code, float scale, SourcePrecision p) {
    return p.round(Fp8E4M3.toFloat(code) * scale);
  }

  /** {@link #decode} of {@code codes[from, from + count)}, which share {@code scale}, into {@code out[from, ...)}. */
  static void decodeGroup(byte[] codes, int from, int count, float scale, SourcePrecision p, float[] out) {
    switch (p) {
      case F32 -> {
        for (int i = from; i < from + count; i++) {
          out[i] = Fp8E4M3.toFloat(codes[i]) * scale;
        }
      }
      case BF16 -> {
        for (int i = from; i < from + count; i++) {
          out[i] = Bf16.toFloat(Bf16.fromFloat(Fp8E4M3.toFloat(codes[i]) * scale));
        }
      }
      case F16 -> {
        for (int i = from; i < from + count; i++) {
          out[i] = p.round(Fp8E4M3.toFloat(codes[i]) * scale);
        }
      }
    }
  }

  /** Quantises a weight of {@code shape} (row-major values); codes and scales live outside the JVM heap. */
  public static Fp8Tensor quantise(float[] values, long[] shape, SourcePrecision p) {
    ScaleGranularity g = ScaleGranularity.of(shape);
    int size = g.groupSize(shape);
    int groups = values.length / size;
    ByteBuffer codes = ByteBuffer.allocateDirect(values.length);
    FloatBuffer scales = ByteBuffer.allocateDirect(4 * groups).order(ByteOrder.nativeOrder()).asFloatBuffer();
    for (int k = 0; k < groups; k++) {
      float s = scale(values, k * size, size, p);
      scales.put(k, s);
      for (int i = k * size; i < (k + 1) * size; i++) {
        codes.put(i, encode(values[i], s));
      }
    }
    return new Fp8Tensor(shape, g, codes, scales, p);
  }

  /**
   * {@link #quantise} without allocating: float32 {@code values} of {@code shape} (little-endian, from position 0) to
   * codes at {@code codes}' index 0 and scales at {@code scales}' index 0, a group at a time.
   */
  static void quantiseInto(ByteBuffer values, long[] shape, SourcePrecision p, ByteBuffer codes, FloatBuffer scales) {
    FloatBuffer w = values.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    int size = ScaleGranularity.of(shape).groupSize(shape);
    int total = Math.toIntExact(ScaleGranularity.numel(shape));
    float[] group = new float[size];
    byte[] out = new byte[size];
    for (int from = 0; from < total; from += size) {
      w.get(from, group);
      float s = scale(group, 0, size, p);
      scales.put(from / size, s);
      for (int i = 0; i < size; i++) {
        out[i] = encode(group[i], s);
      }
      codes.put(from, out);
    }
  }

  /** Replaces float32 {@code weights} of {@code shape} by their quantised-then-dequantised values, in place. */
  public static void roundTrip(ByteBuffer weights, long[] shape, SourcePrecision p) {
    FloatBuffer w = weights.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    ScaleGranularity g = ScaleGranularity.of(shape);
    int size = g.groupSize(shape);
    int total = Math.toIntExact(ScaleGranularity.numel(shape));
    float[] group = new float[size];
    byte[] codes = new byte[size];
    for (int from = 0; from < total; from += size) {
      w.get(from, group);
      float s = scale(group, 0, size, p);
      for (int i = 0; i < size; i++) {
        codes[i] = encode(group[i], s);
      }
      decodeGroup(codes, 0, size, s, p, group);
      w.put(from, group);
    }
  }
}
