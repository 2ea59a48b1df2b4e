package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tsumugi.config.WeightingScheme;

/** Loss weights of reference/training.md §1.3 with the grid lookup of σ. */
class LossWeightingTest {
  /** Continuous noise levels whose 1000t + 1 is not near a rounding tie. */
  private static final float[] NOISE_LEVELS = {0.0003f, 0.0101f, 0.1234f, 0.25f, 0.4999f, 0.73f, 0.9876f, 0.99963f};

  @Test
  void schemesWithoutWeightingGiveOnes() {
    for (WeightingScheme scheme : new WeightingScheme[] {
        WeightingScheme.NONE, WeightingScheme.LOGIT_NORMAL, WeightingScheme.MODE}) {
      LossWeighting weighting = new LossWeighting(scheme, SigmaDtype.BFLOAT16);
      LossWeighting.Weights w = weighting.weights(new float[] {123.4f, 999f});
      assertFalse(weighting.weighted());
      assertEquals(1.0, w.values()[0]);
      assertEquals(1.0, w.values()[1]);
      assertFalse(w.approximateLookup());
    }
  }

  @Test
  void sigmaSqrtIsInverseSquareOfTheNearestGridSigma() {
    LossWeighting weighting = new LossWeighting(WeightingScheme.SIGMA_SQRT, SigmaDtype.FLOAT32);
    LossWeighting.Weights w = weighting.weights(modelTimesteps(NOISE_LEVELS));
    assertTrue(w.approximateLookup());
    for (int i = 0; i < NOISE_LEVELS.length; i++) {
      double sigma = gridSigma(NOISE_LEVELS[i]);
      assertEquals(1 / (sigma * sigma), w.values()[i], 1e-5 / (sigma * sigma), "t=" + NOISE_LEVELS[i]);
    }
  }

  @Test
  void cosmapFollowsItsFormulaAtTheNearestGridSigma() {
    LossWeighting weighting = new LossWeighting(WeightingScheme.COSMAP, SigmaDtype.FLOAT32);
    LossWeighting.Weights w = weighting.weights(modelTimesteps(NOISE_LEVELS));
    for (int i = 0; i < NOISE_LEVELS.length; i++) {
      double sigma = gridSigma(NOISE_LEVELS[i]);
      double expected = 2 / (Math.PI * (1 - 2 * sigma + 2 * sigma * sigma));
      assertEquals(expected, w.values()[i], 1e-5 * expected, "t=" + NOISE_LEVELS[i]);
    }
  }

  @Test
  void gridTimestepsOfSigmaModeAreExact() {
    LossWeighting weighting = new LossWeighting(WeightingScheme.SIGMA_SQRT, SigmaDtype.FLOAT32);
    float[] timesteps = {SigmaGrid.timestep(0), SigmaGrid.timestep(250), SigmaGrid.timestep(999)};
    LossWeighting.Weights w = weighting.weights(timesteps);
    assertFalse(w.approximateLookup());
    assertEquals(1.0, w.values()[0], 1e-6);
    assertEquals(1 / (0.75 * 0.75), w.values()[1], 1e-5);
    assertEquals(1e6, w.values()[2], 1e6 * 1e-5);
  }

  @Test
  void bfloat16WeightsAreBfloat16ValuesCloseToTheFormula() {
    LossWeighting sqrt = new LossWeighting(WeightingScheme.SIGMA_SQRT, SigmaDtype.BFLOAT16);
    LossWeighting cosmap = new LossWeighting(WeightingScheme.COSMAP, SigmaDtype.BFLOAT16);
    float[] timesteps = modelTimesteps(NOISE_LEVELS);
    double[] a = sqrt.weights(timesteps).values();
    double[] b = cosmap.weights(timesteps).values();
    for (int i = 0; i < NOISE_LEVELS.length; i++) {
      float s = SigmaModeTest.nearestBfloat16((float) gridSigma(NOISE_LEVELS[i]));
      assertEquals(SigmaModeTest.nearestBfloat16(1f / SigmaModeTest.nearestBfloat16(s * s)), (float) a[i], 0f);
      assertEquals(1 / (s * (double) s), a[i], 0.01 / (s * (double) s));
      double c = 2 / (Math.PI * (1 - 2.0 * s + 2.0 * s * s));
      assertEquals(c, b[i], 0.02 * c);
      assertEquals((float) b[i], SigmaModeTest.nearestBfloat16((float) b[i]), 0f, "a bfloat16 value");
    }
  }

  @Test
  void timestepsAboveTheGridUseSigmaOne() {
    LossWeighting weighting = new LossWeighting(WeightingScheme.COSMAP, SigmaDtype.FLOAT32);
    // t = 0.9996 → 1000.6: nearest grid timestep is 1000, σ = 1, cosmap weight 2/π
    assertEquals(2 / Math.PI, weighting.weights(new float[] {1000.6f}).values()[0], 1e-6);
  }

  private static float[] modelTimesteps(float[] t) {
    float[] out = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      out[i] = t[i] * 1000f + 1f;
    }
    return out;
  }

  /** σ = min(round(1000t + 1), 1000)/1000 (reference/training.md §1.3). */
  private static double gridSigma(float t) {
    return Math.min(Math.round(1000.0 * t + 1), 1000) / 1000.0;
  }
}
