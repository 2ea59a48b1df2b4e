package org.tsumugi.engine.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quantiser against an independent statement of the reference's rule, bit for bit. */
class ScaledFp8Test {

  @Test
  void blockScalesCodesAndDequantisedWeightsFollowTheReferenceRule() {
    for (SourcePrecision p : List.of(SourcePrecision.F32, SourcePrecision.BF16)) {
      float[] w = rows(ReferenceFp8Rule.edgeGroups(64), p); // 8 groups of 64 = a [4, 128] weight
      assertMatchesReference(w, new long[] {4, 128}, 64, p);
    }
  }

  @Test
  void rowsNotDivisibleBy64FallBackToOneScalePerRow() {
    float[] w = rows(ReferenceFp8Rule.edgeGroups(96), SourcePrecision.BF16); // [8, 96]
    Fp8Tensor t = assertMatchesReference(w, new long[] {8, 96}, 96, SourcePrecision.BF16);
    assertEquals(ScaleGranularity.CHANNEL, t.granularity());
  }

  @Test
  void valuesAtAndBeyond448SaturateInsteadOfBecomingNan() {
    float s = 0.5f;
    for (float q : new float[] {448f, 449f, 463.99f, 464f, 480f, 1e30f, Float.POSITIVE_INFINITY}) {
      assertEquals(0x7E, ScaledFp8.encode(q * s, s) & 0xFF, "code of " + q);
      assertEquals(0xFE, ScaledFp8.encode(-q * s, s) & 0xFF, "code of -" + q);
    }
    assertEquals(0, ScaledFp8.encode(Float.NaN, s), "NaN becomes 0 (nan_to_num)");
    assertEquals(ReferenceFp8Rule.code(0.0029296875f), ScaledFp8.encode(0.0029296875f, 1f), "a subnormal tie");
  }

  @Test
  void everyFloatInRangeRoundsToTheNearestCodeTiesToEven() {
    for (int i = 0; i <= 448 * 64; i++) {
      float q = i / 64f;
      assertEquals(ReferenceFp8Rule.code(q), ScaledFp8.encode(q, 1f), "code of " + q);
      assertEquals(ReferenceFp8Rule.code(-q), ScaledFp8.encode(-q, 1f), "code of -" + q);
    }
    for (int k = 0; k < 4096; k++) {
      float q = Math.scalb(1f + k / 4096f, -12 + k % 12); // around the subnormal/normal boundary
      assertEquals(ReferenceFp8Rule.code(q), ScaledFp8.encode(q, 1f), "code of " + q);
    }
  }

  @Test
  void roundTripInPlaceEqualsQuantiseThenDequantise() {
    float[] w = rows(ReferenceFp8Rule.edgeGroups(64), SourcePrecision.BF16);
    ByteBuffer buffer = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(w);
    ScaledFp8.roundTrip(buffer, new long[] {4, 128}, SourcePrecision.BF16);
    float[] roundTripped = new float[w.length];
    buffer.asFloatBuffer().get(roundTripped);
    assertBitsEqual(ScaledFp8.quantise(w, new long[] {4, 128}, SourcePrecision.BF16).dequantise(), roundTripped,
        "round trip");
  }

  private static Fp8Tensor assertMatchesReference(float[] w, long[] shape, int groupSize, SourcePrecision p) {
    boolean bf16 = p == SourcePrecision.BF16;
    ReferenceFp8Rule.Result expected = ReferenceFp8Rule.quantise(w, groupSize, bf16);
    Fp8Tensor actual = ScaledFp8.quantise(w, shape, p);
    assertArrayEquals(expected.codes(), actual.codeBytes(), p + " codes");
    assertBitsEqual(expected.scales(), actual.scaleValues(), p + " scales");
    assertBitsEqual(expected.dequantised(), actual.dequantise(), p + " dequantised");
    return actual;
  }

  /** The groups laid out row after row, as the source would hold them (bf16 sources hold bf16 values). */
  private static float[] rows(List<float[]> groups, SourcePrecision p) {
    int n = groups.get(0).length;
    float[] w = new float[groups.size() * n];
    for (int g = 0; g < groups.size(); g++) {
      for (int i = 0; i < n; i++) {
        w[g * n + i] = ReferenceFp8Rule.round(groups.get(g)[i], p == SourcePrecision.BF16);
      }
    }
    return w;
  }

  static void assertBitsEqual(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
          what + " [" + i + "]: expected " + expected[i] + ", got " + actual[i]);
    }
  }
}
