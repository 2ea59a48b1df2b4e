package org.tsumugi.engine.ema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** γ and β schedules against the tables of reference/lora-and-ema.md §2 (numpy float64). */
class SigmaRelTest {

  @Test
  void gammasMatchTheSpecTable() {
    double[][] table = {{0.2, 1.8262137798958404}, {0.15, 3.5578687748994646}, {0.05, 16.972198602303447},
        {0.1, 6.937203937601809}, {0.25, 0.71982395800071}};
    for (double[] row : table) {
      assertEquals(row[1], SigmaRel.toGamma(row[0]), 1e-12, "gamma for sigma_rel " + row[0]);
    }
  }

  @Test
  void refusesSigmaRelWithoutAPositiveRoot() {
    for (double sigma : new double[] {1 / Math.sqrt(12), 0.3, 1, 0, -0.1, Double.NaN}) {
      var e = assertThrows(IllegalArgumentException.class, () -> SigmaRel.toGamma(sigma), "sigma " + sigma);
      assertTrue(e.getMessage().contains("1/sqrt(12)"), e::getMessage);
    }
  }

  @Test
  void powerFunctionBetasMatchTheSpecTable() {
    double[] sigma02 = {0, 0.14100187184516438, 0.31792776509256704, 0.4435028560783632, 0.5322449945260131,
        0.5973334993515445, 0.6468358180404488, 0.685649810522134, 0.7168561842054784};
    double[] sigma015 = {0, 0.04245655799322739, 0.1575430136350396, 0.2694918486933433, 0.36165700191254185,
        0.4356144435249663, 0.4952965671736595, 0.5441019917241924, 0.5845928713573404};
    EmaSchedule a = EmaSchedule.sigmaRel(0.2);
    EmaSchedule b = EmaSchedule.sigmaRel(0.15);
    for (int i = 0; i < 9; i++) {
      assertEquals(sigma02[i], a.beta(i), 1e-15, "sigma 0.2 merge " + i);
      assertEquals(sigma015[i], b.beta(i), 1e-15, "sigma 0.15 merge " + i);
    }
  }

  @Test
  void interpolatedBetasGoFromBetaToBeta2() {
    EmaSchedule s = EmaSchedule.interpolated(0.9, 0.95, 5);
    double[] expected = {0.9, 0.9166666666666666, 0.9333333333333333, 0.95};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], s.beta(i), 0.0, "merge " + i);
    }
    assertEquals(0.9, EmaSchedule.interpolated(0.9, 0.95, 2).beta(0), 0.0, "a single merge uses beta");
    assertEquals(0.95, EmaSchedule.constant(0.95).beta(7), 0.0);
    assertThrows(IllegalArgumentException.class, () -> s.beta(4), "past the planned checkpoints");
  }

  @Test
  void effectiveWeightsSumToOneAndMatchTheSpec() {
    // w_0 = Π β_i, w_k = (1 − β_{k−1}) Π_{i≥k} β_i
    EmaSchedule s = EmaSchedule.interpolated(0.9, 0.95, 5);
    double[] expected = {.731500, .081278, .073889, .063333, .050000};
    double[] w = new double[5];
    for (int k = 0; k < 5; k++) {
      double product = k == 0 ? 1 : 1 - s.beta(k - 1);
      for (int i = Math.max(k, 0); i < 4; i++) {
        product *= s.beta(i);
      }
      w[k] = product;
      assertEquals(expected[k], w[k], 5e-7, "weight of checkpoint " + k);
    }
    assertEquals(1.0, w[0] + w[1] + w[2] + w[3] + w[4], 1e-12);
  }
}
