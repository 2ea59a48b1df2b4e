package org.tsumugi.engine.model.wan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Wan's 3-D rotary position embedding (reference/wan-model.md §1.4). A head vector of width d is read as d/2
 * interleaved pairs (v[2j], v[2j+1]); pairs [0, ct) rotate with the frame index, the next ch with the row, the last
 * cw with the column, where cw = ch = (d/2)/3 and ct takes the rest. Axis k pairs: ω_j = 10000^(-j/k).
 *
 * <p>Rotation (a, b) → (a cos θ − b sin θ, a sin θ + b cos θ) is computed as x·cos + swap(x)·sinSigned, where swap
 * exchanges the two members of each pair and sinSigned is (−sin, +sin) per pair. Angles are formed in double.
 */
public final class WanRope {

  private static final double THETA = 10000.0;
  private static final int CACHED_GRIDS = 32;
  /** Tables are pure functions of the grid; a run uses few grids (one per bucket), so they are kept. */
  private static final java.util.Map<Grid, WanRope> CACHE = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Grid, WanRope> eldest) {
          return size() > CACHED_GRIDS;
        }
      });

  private record Grid(int f, int h, int w, int headDim) {}

  private final float[] cos; // [L, d]
  private final float[] sinSigned; // [L, d]
  private final int tokens;
  private final int headDim;

  private WanRope(float[] cos, float[] sinSigned, int tokens, int headDim) {
    this.cos = cos;
    this.sinSigned = sinSigned;
    this.tokens = tokens;
    this.headDim = headDim;
  }

  /** The table for a latent grid of f × h × w tokens (token n = (fi·h + hi)·w + wi). */
  public static WanRope forGrid(int f, int h, int w, int headDim) {
    return CACHE.computeIfAbsent(new Grid(f, h, w, headDim), g -> compute(f, h, w, headDim));
  }

  private static WanRope compute(int f, int h, int w, int headDim) {
    int pairs = headDim / 2;
    int ch = pairs / 3;
    int ct = pairs - 2 * ch;
    double[] omegaT = frequencies(ct);
    double[] omegaH = frequencies(ch);
    int tokens = f * h * w;
    float[] cos = new float[tokens * headDim];
    float[] sin = new float[tokens * headDim];
    for (int fi = 0; fi < f; fi++) {
      for (int hi = 0; hi < h; hi++) {
        for (int wi = 0; wi < w; wi++) {
          int base = ((fi * h + hi) * w + wi) * headDim;
          for (int j = 0; j < pairs; j++) {
            double angle = j < ct ? fi * omegaT[j] : j < ct + ch ? hi * omegaH[j - ct] : wi * omegaH[j - ct - ch];
            float c = (float) Math.cos(angle);
            float s = (float) Math.sin(angle);
            cos[base + 2 * j] = c;
            cos[base + 2 * j + 1] = c;
            sin[base + 2 * j] = -s;
            sin[base + 2 * j + 1] = s;
          }
        }
      }
    }
    return new WanRope(cos, sin, tokens, headDim);
  }

  private static double[] frequencies(int pairs) {
    double[] omega = new double[pairs];
    for (int j = 0; j < pairs; j++) {
      omega[j] = Math.pow(THETA, -(double) j / pairs);
    }
    return omega;
  }

  /** The table as two arrays [L, 1, d] in {@code manager}, ready to broadcast over batch and heads. */
  public Tables tables(NDManager manager) {
    Shape shape = new Shape(tokens, 1, headDim);
    return new Tables(manager.create(cos, shape), manager.create(sinSigned, shape));
  }

  /** The rotation's two factors, materialised for one step. */
  public record Tables(NDArray cos, NDArray sinSigned) {

    /**
     * @param x [B, L, N, d]
     * @return x rotated, [B, L, N, d]
     */
    public NDArray rotate(NDArray x) {
      Shape s = x.getShape();
      NDArray swapped = x.reshape(s.get(0), s.get(1), s.get(2), s.get(3) / 2, 2).flip(4).reshape(s); // pairs (b, a)
      return x.mul(cos).add(swapped.mul(sinSigned));
    }
  }
}
