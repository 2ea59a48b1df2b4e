package org.tsumugi.config;

/** {@code save_precision}: dtype of saved LoRA weights, alpha included (reference/lora-and-ema.md §1.8). */
public enum SavePrecision {
  FLOAT,
  FP32,
  FP16,
  BF16;

  public String optionName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code float} and {@code fp32} both mean float32. */
  public boolean isFloat32() {
    return this == FLOAT || this == FP32;
  }
}
