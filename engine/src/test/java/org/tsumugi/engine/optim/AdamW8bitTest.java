package org.tsumugi.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tsumugi.engine.optim.Close.assertClose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamW8bitTest {
  private static final AdamW8bit.Settings SETTINGS = new AdamW8bit.Settings(0.8, 0.95, 1e-3, 0.3, 4096);
  private static final double[] LRS = {0.05, 0.02, 0.08, 0.01, 0.05, 0.03};
  private static final float[] SIGNED = EightBitReference.dynamicMap(true);
  private static final float[] UNSIGNED = EightBitReference.dynamicMap(false);

  @Test
  void quantisedAndSmallTensorsFollowTheKernelsOverSeveralSteps() {
    // 70·64 = 4480 elements: 8-bit state over 18 blocks, the last one half padding; 10·10 keeps float32 state.
    try (Trainables t = Trainables.random(3, 1.0, new long[] {70, 64}, new long[] {10, 10})) {
      AdamW8bit optimizer = new AdamW8bit(SETTINGS, t.groups(), t.manager);
      float[][] p = t.values();
      Quantised big = new Quantised(4480);
      float[] m = new float[100];
      float[] v = new float[100];
      Random random = new Random(4);
      for (int step = 1; step <= LRS.length; step++) {
        float[][] g = t.randomGradients(random, 0.5);
        withZeroAndTinyValues(g[0], step);
        t.setGradients(g);
        optimizer.step(t.groups(), new double[] {LRS[step - 1]});
        big.step(p[0], g[0], (float) LRS[step - 1], step);
        thirtyTwoBitStep(p[1], m, v, g[1], (float) LRS[step - 1], step);
        assertClose(p, t.values(), 1e-6, 1e-7, "parameters after step " + step);
        assertArrayEquals(big.codes1, unsigned(optimizer.stateTensors().get("p0.weight.state1")),
            "first-moment codes after step " + step);
        assertArrayEquals(big.codes2, unsigned(optimizer.stateTensors().get("p0.weight.state2")),
            "second-moment codes after step " + step);
        assertClose(big.absmax1, optimizer.stateTensors().get("p0.weight.absmax1").toFloatArray(), 1e-6, 0,
            "absmax1");
        assertClose(big.absmax2, optimizer.stateTensors().get("p0.weight.absmax2").toFloatArray(), 1e-6, 0,
            "absmax2");
      }
      assertEquals(DataType.FLOAT32, optimizer.stateTensors().get("p1.weight.state1").getDataType());
      assertClose(v, optimizer.stateTensors().get("p1.weight.state2").toFloatArray(), 1e-6, 0, "small v");
    }
  }

  /**
   * Block 0 gets no gradient at first (its moments are all zero: absmax 0), and a few values far below their
   * block's maximum land on the zero code, where the signed map keeps their sign by moving one code.
   */
  private static void withZeroAndTinyValues(float[] g, int step) {
    if (step <= 2) {
      java.util.Arrays.fill(g, 0, 256, 0f);
    }
    for (int i = 300; i < 310; i++) {
      g[i] = (i % 2 == 0 ? 1e-9f : -1e-9f) * step;
    }
  }

  @Test
  void codeSearchPicksTheNearestCodeWithTiesOnTheEvenIndex() {
    Random random = new Random(5);
    for (float[] map : new float[][] {SIGNED, UNSIGNED}) {
      boolean signed = map == SIGNED;
      java.util.List<Float> probes = new java.util.ArrayList<>();
      for (int k = 0; k + 1 < map.length; k++) {
        float mid = (map[k] + map[k + 1]) * 0.5f;
        probes.add(mid);
        probes.add(Math.nextUp(mid));
        probes.add(Math.nextDown(mid));
        probes.add(map[k]);
      }
      for (int i = 0; i < 2000; i++) {
        probes.add(signed ? random.nextFloat() * 2 - 1 : random.nextFloat());
      }
      probes.add(Float.NaN);
      for (float x : probes) {
        assertEquals(EightBitReference.nearest(map, x), BlockwiseAdamKernel.quantize(map, x, signed),
            "code of " + x + (signed ? " (signed)" : " (unsigned)"));
      }
    }
  }

  @Test
  void dynamicMapMatchesCreateDynamicMap() {
    assertArrayEquals(SIGNED, DynamicMap.create(true));
    assertArrayEquals(UNSIGNED, DynamicMap.create(false));
    assertEquals(0f, SIGNED[127]);
    assertEquals(1f, SIGNED[255]);
    assertEquals(0f, UNSIGNED[0]);
    assertEquals(5.5e-7f, SIGNED[128], 1e-12f);
  }

  /** The map's linspace is torch's: checked against libtorch's own CPU linspace for every size the map uses. */
  @Test
  void linspaceIsTorchCpuLinspace() {
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int steps = 2; steps <= 129; steps++) {
        assertArrayEquals(manager.linspace(0.1f, 1f, steps).toFloatArray(), DynamicMap.linspace(0.1f, 1f, steps),
            "linspace(0.1, 1, " + steps + ")");
      }
    }
  }

  private static int[] unsigned(NDArray codes) {
    return codes.toUint8Array();
  }

  private record Constants(float stepSize, float epsC2, float decay, float b1, float b2) {
    static Constants of(float lr, int step) {
      float b1 = (float) SETTINGS.beta1();
      float b2 = (float) SETTINGS.beta2();
      float c1 = 1f - (float) Math.pow(b1, step);
      float c2 = (float) Math.sqrt(1f - (float) Math.pow(b2, step));
      return new Constants(-lr * c2 / c1, c2 * (float) SETTINGS.eps(), 1f - lr * (float) SETTINGS.weightDecay(),
          b1, b2);
    }
  }

  /** The 32-bit kernel: v ← β2·v + (1 − β2)·g², weight decay after the step. */
  private static void thirtyTwoBitStep(float[] p, float[] m, float[] v, float[] g, float lr, int step) {
    Constants c = Constants.of(lr, step);
    for (int i = 0; i < p.length; i++) {
      m[i] = m[i] * c.b1 + (1f - c.b1) * g[i];
      v[i] = v[i] * c.b2 + (1f - c.b2) * (g[i] * g[i]);
      p[i] = (p[i] + c.stepSize * (m[i] / ((float) Math.sqrt(v[i]) + c.epsC2))) * c.decay;
    }
  }

  /** One parameter's 8-bit state, updated block by block as the CUDA kernel does. */
  private static final class Quantised {
    final int[] codes1;
    final int[] codes2;
    final float[] absmax1;
    final float[] absmax2;

    Quantised(int n) {
      codes1 = new int[n];
      codes2 = new int[n];
      int blocks = (n + EightBitReference.BLOCK - 1) / EightBitReference.BLOCK;
      absmax1 = new float[blocks];
      absmax2 = new float[blocks];
    }

    void step(float[] p, float[] g, float lr, int step) {
      Constants c = Constants.of(lr, step);
      int n = p.length;
      for (int b = 0; b < absmax1.length; b++) {
        float[] m = new float[EightBitReference.BLOCK];
        float[] v = new float[EightBitReference.BLOCK];
        float max1 = 0;
        float max2 = 0;
        for (int j = 0; j < EightBitReference.BLOCK; j++) {
          int i = b * EightBitReference.BLOCK + j;
          float grad = i < n ? g[i] : 0f;
          float oldM = SIGNED[i < n ? codes1[i] : 128] * absmax1[b];
          float oldV = UNSIGNED[i < n ? codes2[i] : 0] * absmax2[b];
          m[j] = oldM * c.b1 + (1f - c.b1) * grad;
          v[j] = oldV * c.b2 + (1f - c.b2) * grad * grad;
          max1 = Math.max(max1, Math.abs(m[j]));
          max2 = Math.max(max2, Math.abs(v[j]));
        }
        for (int j = 0; j < EightBitReference.BLOCK && b * EightBitReference.BLOCK + j < n; j++) {
          int i = b * EightBitReference.BLOCK + j;
          p[i] = (p[i] + c.stepSize * (m[j] / ((float) Math.sqrt(v[j]) + c.epsC2))) * c.decay;
          int q1 = EightBitReference.nearest(SIGNED, m[j] / max1);
          codes1[i] = EightBitReference.keepSign(SIGNED, q1, m[j]);
          codes2[i] = EightBitReference.nearest(UNSIGNED, v[j] / max2);
        }
        absmax1[b] = max1;
        absmax2[b] = max2;
      }
    }
  }
}
