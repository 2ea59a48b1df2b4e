package org.tsumugi.engine.train;

/**
 * The reference's discrete flow-matching schedule (FlowMatchDiscreteScheduler with 1000 train timesteps,
 * reference/training.md §1.2): σ_k = float32 linspace(1, 0, 1001), model timestep_k = float32(σ_k·1000) for
 * k = 0..999, so index k ↔ timestep 1000 − k (up to float32 rounding of about 1e-4).
 *
 * <p>The linspace is computed as torch's scalar CPU kernel does: start + step·k for the first half and
 * end − step·(1000 − k) for the second, with step = −1/1000 in float32. Torch's vectorised kernel may differ from
 * this by one float32 ulp at some k (a timestep difference below 1.5e-4).
 */
public final class SigmaGrid {
  /** Number of train timesteps (table entries). */
  public static final int SIZE = 1000;
  private static final float[] SIGMAS = new float[SIZE + 1];
  private static final float[] TIMESTEPS = new float[SIZE];

  static {
    float step = (0f - 1f) / SIZE;
    int halfway = (SIZE + 1) / 2;
    for (int k = 0; k <= SIZE; k++) {
      SIGMAS[k] = k < halfway ? 1f + step * k : 0f - step * (SIZE - k);
    }
    for (int k = 0; k < SIZE; k++) {
      TIMESTEPS[k] = SIGMAS[k] * SIZE;
    }
  }

  private SigmaGrid() {}

  /** σ_k, k in 0..1000 (float32). */
  public static float sigma(int k) {
    return SIGMAS[k];
  }

  /** The model timestep of index k, k in 0..999 (float32, ≈ 1000 − k). */
  public static float timestep(int k) {
    return TIMESTEPS[k];
  }

  /** The index whose timestep equals {@code t} exactly, or −1. */
  public static int exactIndex(float t) {
    for (int k = 0; k < SIZE; k++) {
      if (TIMESTEPS[k] == t) {
        return k;
      }
    }
    return -1;
  }

  /**
   * The index of the grid timestep nearest to {@code t} in float32 arithmetic; on a tie the first index, i.e. the
   * larger timestep (the reference's argmin).
   */
  public static int nearestIndex(float t) {
    int best = 0;
    float bestDistance = Math.abs(TIMESTEPS[0] - t);
    for (int k = 1; k < SIZE; k++) {
      float d = Math.abs(TIMESTEPS[k] - t);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best;
  }
}
