package org.tsumugi.engine.nn;

import ai.djl.ndarray.NDArray;

/**
 * Scaled dot-product attention without mask: softmax(q k^T / sqrt(d)) v, in float32.
 *
 * <p>Dimensions: B batch, L query tokens, S key tokens, N heads, D head dim.
 */
public final class Attention {

  private Attention() {}

  /**
   * @param q [B, L, N, D]
   * @param k [B, S, N, D]
   * @param v [B, S, N, D]
   * @return [B, L, N*D]
   */
  public static NDArray attend(NDArray q, NDArray k, NDArray v) {
    long b = q.getShape().get(0);
    long l = q.getShape().get(1);
    long n = q.getShape().get(2);
    long d = q.getShape().get(3);
    NDArray qh = ScalarFactor.mul(q.transpose(0, 2, 1, 3), (float) (1.0 / Math.sqrt(d))); // [B, N, L, D]
    NDArray kt = k.transpose(0, 2, 3, 1); // [B, N, D, S]
    NDArray vh = v.transpose(0, 2, 1, 3); // [B, N, S, D]
    NDArray weights = qh.matMul(kt).softmax(-1); // [B, N, L, S]
    return weights.matMul(vh).transpose(0, 2, 1, 3).reshape(b, l, n * d); // [B, L, N*D]
  }
}
