package org.tsumugi.engine.optim;

/**
 * bitsandbytes' CUDA kernel for 8-bit block-wise Adam ({@code kOptimizerStatic8bit2StateBlockwise}), one block of
 * 256 elements at a time, in Java float arithmetic with the kernel's operation order. Each block keeps its moments
 * as uint8 indices into a {@link DynamicMap} (signed for m, unsigned for v) scaled by the block's absolute maximum.
 *
 * <p>Per block: dequantise, update the moments in float32, update the parameter from the float32 moments, then store
 * the new block maxima and re-quantise. The last block's padding lanes load code 128 (m) and 0 (v) with a zero
 * gradient and take part in the block maximum, as in the kernel. An element whose gradient is not finite gets zero
 * moments and keeps its parameter value, as in the kernel.
 */
final class BlockwiseAdamKernel {
  static final int BLOCK = 256;
  private static final int SIGNED_PAD = 128;

  private final float[] signed;
  private final float[] unsigned;

  BlockwiseAdamKernel(float[] signedMap, float[] unsignedMap) {
    this.signed = signedMap;
    this.unsigned = unsignedMap;
  }

  static int blocks(long n) {
    return (int) ((n + BLOCK - 1) / BLOCK);
  }

  /** The kernel's per-step float32 constants; {@code decay} is 1 − lr·wd, applied only when {@code decays}. */
  record Constants(float beta1, float beta2, float stepSize, float epsC2, float decay, boolean decays) {}

  /** Updates p, the codes and the block maxima in place. */
  void step(float[] p, float[] g, byte[] codes1, byte[] codes2, float[] absmax1, float[] absmax2, Constants c) {
    float[] m = new float[BLOCK];
    float[] v = new float[BLOCK];
    for (int b = 0; b < absmax1.length; b++) {
      int base = b * BLOCK;
      int valid = Math.min(BLOCK, p.length - base);
      float max1 = -Float.MAX_VALUE;
      float max2 = -Float.MAX_VALUE;
      for (int j = 0; j < BLOCK; j++) {
        float grad = j < valid ? g[base + j] : 0f;
        if (Float.isFinite(grad)) {
          int code1 = j < valid ? codes1[base + j] & 0xff : SIGNED_PAD;
          int code2 = j < valid ? codes2[base + j] & 0xff : 0;
          v[j] = (unsigned[code2] * absmax2[b]) * c.beta2() + (1f - c.beta2()) * grad * grad;
          m[j] = (signed[code1] * absmax1[b]) * c.beta1() + (1f - c.beta1()) * grad;
        } else {
          m[j] = 0f;
          v[j] = 0f;
        }
        max1 = fmax(max1, Math.abs(m[j]));
        max2 = fmax(max2, Math.abs(v[j]));
      }
      absmax1[b] = max1;
      absmax2[b] = max2;
      for (int j = 0; j < valid; j++) {
        int i = base + j;
        if (Float.isFinite(g[i])) {
          p[i] = p[i] + c.stepSize() * (m[j] / ((float) Math.sqrt(v[j]) + c.epsC2()));
          if (c.decays()) {
            p[i] = p[i] * c.decay();
          }
        }
        codes1[i] = (byte) keepSign(quantize(signed, m[j] / max1, true), m[j]);
        codes2[i] = (byte) quantize(unsigned, v[j] / max2, false);
      }
    }
  }

  /** CUDA's fmaxf: a NaN operand is ignored. */
  private static float fmax(float a, float b) {
    return b > a ? b : a;
  }

  /**
   * The kernel's search: halve from the middle entry (127) down to an even index, then take the nearer of it and
   * the bracketing neighbour, comparing against their float32 midpoint (ties stay on the even index). At the ends
   * the bracket is the map's range, [-1, 1] signed or [0, 1] unsigned. A NaN (0/0 in an all-zero block) ends at 0.
   */
  static int quantize(float[] code, float x, boolean signedMap) {
    int pivot = 127;
    int upperPivot = 255;
    int lowerPivot = 0;
    float lower = signedMap ? -1f : 0f;
    float upper = 1f;
    float val = code[pivot];
    for (int step = 64; step > 0; step >>= 1) {
      if (x > val) {
        lowerPivot = pivot;
        lower = val;
        pivot += step;
      } else {
        upperPivot = pivot;
        upper = val;
        pivot -= step;
      }
      val = code[pivot];
    }
    if (x > val) {
      return x > (upper + val) * 0.5f ? upperPivot : pivot;
    }
    return x < (lower + val) * 0.5f ? lowerPivot : pivot;
  }

  /** Moves a first-moment code one step towards the value's sign when the code has the other sign (byte wrap). */
  private int keepSign(int index, float value) {
    if (signBit(signed[index]) != signBit(value)) {
      index += value > 0f ? 1 : -1;
    }
    return index & 0xff;
  }

  private static boolean signBit(float x) {
    return Float.floatToRawIntBits(x) < 0;
  }
}
