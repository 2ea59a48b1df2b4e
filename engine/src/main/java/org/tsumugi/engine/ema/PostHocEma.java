package org.tsumugi.engine.ema;

/**
 * The post-hoc EMA arithmetic, element by element in float32 exactly as the reference's torch expression
 * {@code state * beta + value * (1 - beta)} (reference/lora-and-ema.md §2): β and 1 − β are computed in double and
 * each rounded to float32; the two products and the sum are each rounded to float32.
 */
public final class PostHocEma {
  private static final float ALPHA_RTOL = 1e-5f;
  private static final float ALPHA_ATOL = 1e-8f;

  private PostHocEma() {}

  /** {@code average = average·β + value·(1 − β)}, in place. */
  public static void fold(float[] average, float[] value, double beta) {
    if (average.length != value.length) {
      throw new IllegalArgumentException("cannot fold " + value.length + " values into " + average.length);
    }
    float keep = (float) beta;
    float take = (float) (1 - beta);
    for (int i = 0; i < average.length; i++) {
      float kept = average[i] * keep;
      float taken = value[i] * take;
      average[i] = kept + taken;
    }
  }

  /**
   * Whether a later file's alpha agrees with the kept one as {@code torch.allclose(kept, other)} (rtol 1e-5, atol 1e-8,
   * evaluated in float32; NaN never agrees).
   */
  public static boolean alphaMatches(float kept, float other) {
    if (kept == other) {
      return true;
    }
    float error = Math.abs(kept - other);
    float allowed = ALPHA_ATOL + Math.abs(ALPHA_RTOL * other);
    return Float.isFinite(error) && error <= allowed;
  }

  /** Whether a tensor is a LoRA alpha (kept from the first file, never averaged). */
  public static boolean isAlpha(String name) {
    return name.endsWith(".alpha");
  }
}
