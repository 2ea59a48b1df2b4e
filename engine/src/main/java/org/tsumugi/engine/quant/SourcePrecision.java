package org.tsumugi.engine.quant;

import org.tsumugi.engine.io.Bf16;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.Fp16;

/**
 * The dtype the reference does its scale arithmetic in: the original weight's (reference/wan-model.md §5). The scale
 * max|W|/448 is rounded to it, clamped at 1e-8 in it, stored in it, and the dequantised product fp8 × scale is
 * rounded to it. Tsumugi computes in float32 but rounds at exactly those points, so its dequantised weights equal the
 * reference's bit for bit.
 */
public enum SourcePrecision {
  F32,
  BF16,
  F16;

  public static SourcePrecision of(DType dtype) {
    return switch (dtype) {
      case F32 -> F32;
      case BF16 -> BF16;
      case F16 -> F16;
      default -> throw new IllegalArgumentException("fp8 scales follow an F32, BF16 or F16 source weight, not "
          + dtype);
    };
  }

  public DType dtype() {
    return switch (this) {
      case F32 -> DType.F32;
      case BF16 -> DType.BF16;
      case F16 -> DType.F16;
    };
  }

  /** {@code x} rounded to this dtype (nearest even, as torch casts). */
  public float round(float x) {
    return switch (this) {
      case F32 -> x;
      case BF16 -> Bf16.toFloat(Bf16.fromFloat(x));
      case F16 -> Fp16.toFloat(Fp16.fromFloat(x));
    };
  }
}
