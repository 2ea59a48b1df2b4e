package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Against values from scipy.special (erf, erfc, ndtri, ndtr, erfinv), relative tolerance 1e-14. */
class StandardNormalTest {
  private static final double REL = 1e-14;

  @Test
  void erfMatchesScipy() {
    double[][] cases = {
      {-3.0, -0.9999779095030014}, {-0.5, -0.5204998778130465}, {1e-8, 1.1283791670955125e-08},
      {0.3, 0.3286267594591274}, {1.0, 0.8427007929497148}, {1.7, 0.9837904585907745},
      {2.5, 0.999593047982555}, {4.0, 0.9999999845827421}, {6.0, 1.0}};
    for (double[] c : cases) {
      assertClose(c[1], StandardNormal.erf(c[0]), "erf(" + c[0] + ")");
    }
  }

  @Test
  void erfcKeepsRelativeAccuracyInTheTails() {
    double[][] cases = {
      {-3.0, 1.9999779095030015}, {0.3, 0.6713732405408726}, {1.0, 0.15729920705028516},
      {1.7, 0.01620954140922544}, {2.5, 0.00040695201744495886}, {4.0, 1.541725790028002e-08},
      {6.0, 2.1519736712498913e-17}, {8.0, 1.1224297172982928e-29}, {12.0, 1.3562611692059047e-64},
      {26.0, 5.663192408856145e-296}};
    for (double[] c : cases) {
      assertClose(c[1], StandardNormal.erfc(c[0]), "erfc(" + c[0] + ")");
    }
  }

  @Test
  void quantileMatchesScipyNdtri() {
    double[][] cases = {
      {1e-12, -7.034483825301131}, {1e-7, -5.1993375821928165}, {0.001, -3.090232306167813},
      {0.02, -2.053748910631823}, {0.025, -1.9599639845400545}, {0.3, -0.5244005127080409},
      {0.8, 0.8416212335729143}, {0.975, 1.959963984540054}, {0.999999, 4.753424308817087}};
    for (double[] c : cases) {
      assertClose(c[1], StandardNormal.quantile(c[0]), "quantile(" + c[0] + ")");
    }
    assertEquals(0.0, StandardNormal.quantile(0.5), 0.0);
    assertEquals(Double.NEGATIVE_INFINITY, StandardNormal.quantile(0.0));
    assertEquals(Double.POSITIVE_INFINITY, StandardNormal.quantile(1.0));
  }

  @Test
  void cdfMatchesScipyNdtr() {
    double[][] cases = {
      {-6.0, 9.865876450376946e-10}, {-1.5, 0.06680720126885807}, {0.0, 0.5}, {0.7, 0.758036347776927},
      {3.2, 0.9993128620620841}};
    for (double[] c : cases) {
      assertClose(c[1], StandardNormal.cdf(c[0]), "cdf(" + c[0] + ")");
    }
  }

  @Test
  void erfinvMatchesScipy() {
    double[][] cases = {
      {-0.9999999, -3.766562581638471}, {-0.998, -2.185124219133004}, {-0.4, -0.37080715859355795},
      {1e-10, 8.862269254527581e-11}, {0.25, 0.2253120550121781}, {0.7, 0.7328690779592169},
      {0.95, 1.3859038243496775}, {0.999999, 3.458910737275499}};
    for (double[] c : cases) {
      assertClose(c[1], StandardNormal.erfinv(c[0]), "erfinv(" + c[0] + ")");
    }
  }

  @Test
  void handlesInfiniteArguments() {
    assertEquals(1.0, StandardNormal.erf(Double.POSITIVE_INFINITY));
    assertEquals(-1.0, StandardNormal.erf(Double.NEGATIVE_INFINITY));
    assertEquals(0.0, StandardNormal.erfc(Double.POSITIVE_INFINITY));
    assertEquals(2.0, StandardNormal.erfc(Double.NEGATIVE_INFINITY));
    assertEquals(1.0, StandardNormal.cdf(Double.POSITIVE_INFINITY));
    assertEquals(0.0, StandardNormal.cdf(Double.NEGATIVE_INFINITY));
    assertEquals(0.0, StandardNormal.erfc(27.5));
  }

  @Test
  void refusesProbabilitiesOutsideTheUnitInterval() {
    assertThrows(IllegalArgumentException.class, () -> StandardNormal.quantile(1.5));
    assertThrows(IllegalArgumentException.class, () -> StandardNormal.erfinv(-1.01));
  }

  private static void assertClose(double expected, double actual, String what) {
    assertEquals(expected, actual, REL * Math.abs(expected) + 1e-300, what);
  }
}
