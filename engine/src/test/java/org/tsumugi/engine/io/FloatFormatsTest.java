package org.tsumugi.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * bf16 / f16 / f8 conversions. Edge cases are hand-computed bit patterns (f16 ones cross-checked with numpy's
 * float32→float16 cast); the random sweeps compare against {@link NearestEvenOracle}, which decodes codes from the
 * format definitions and searches for the nearest value.
 */
class FloatFormatsTest {
  private static final int SAMPLES = 200_000;

  // Formats decoded from their definitions: sign, exponent bias, subnormals, specials.
  private static double bf16Value(int code) {
    return ieee(code, 8, 7);
  }

  private static double f16Value(int code) {
    return ieee(code, 5, 10);
  }

  private static double ieee(int code, int expBits, int mantBits) {
    int exp = (code >> mantBits) & ((1 << expBits) - 1);
    int mant = code & ((1 << mantBits) - 1);
    int bias = (1 << (expBits - 1)) - 1;
    double sign = ((code >> (expBits + mantBits)) & 1) == 1 ? -1 : 1;
    if (exp == (1 << expBits) - 1) {
      return mant == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
    }
    if (exp == 0) {
      return sign * mant * Math.pow(2, 1 - bias - mantBits);
    }
    return sign * (1 + mant / Math.pow(2, mantBits)) * Math.pow(2, exp - bias);
  }

  private static double e4m3Value(int code) {
    int exp = (code >> 3) & 0xF;
    int mant = code & 7;
    double sign = (code & 0x80) != 0 ? -1 : 1;
    if (exp == 15 && mant == 7) {
      return Double.NaN;
    }
    return exp == 0 ? sign * mant / 512.0 : sign * (1 + mant / 8.0) * Math.pow(2, exp - 7);
  }

  @Test
  void bf16EdgeCasesMatchHandComputedBits() {
    assertEquals(0x3F80, Bf16.fromFloat(1f) & 0xFFFF);
    assertEquals(0x8000, Bf16.fromFloat(-0f) & 0xFFFF);
    assertEquals(0x7F80, Bf16.fromFloat(Float.POSITIVE_INFINITY) & 0xFFFF);
    assertEquals(0xFF80, Bf16.fromFloat(Float.NEGATIVE_INFINITY) & 0xFFFF);
    assertEquals(0x7FC0, Bf16.fromFloat(Float.NaN) & 0xFFFF);
    assertEquals(0x7FC0, Bf16.fromFloat(Float.intBitsToFloat(0xFF800001)) & 0xFFFF, "any NaN → canonical");
    // 1 + 2^-8 is the tie between 0x3F80 and 0x3F81: even wins; 1 + 3·2^-8 ties to 0x3F82
    assertEquals(0x3F80, Bf16.fromFloat(Float.intBitsToFloat(0x3F808000)) & 0xFFFF);
    assertEquals(0x3F82, Bf16.fromFloat(Float.intBitsToFloat(0x3F818000)) & 0xFFFF);
    assertEquals(0x3F81, Bf16.fromFloat(Float.intBitsToFloat(0x3F808001)) & 0xFFFF);
    assertEquals(0x7F80, Bf16.fromFloat(Float.MAX_VALUE) & 0xFFFF, "max float rounds up to Inf");
    assertEquals(0x0001, Bf16.fromFloat(Float.intBitsToFloat(0x00010000)) & 0xFFFF, "subnormal kept");
    assertEquals(0x3DCD, Bf16.fromFloat(0.1f) & 0xFFFF);
    assertEquals(1f, Bf16.toFloat((short) 0x3F80));
    assertEquals(-2f, Bf16.toFloat((short) 0xC000));
  }

  @Test
  void bf16NarrowsToNearestEven() {
    NearestEvenOracle oracle = new NearestEvenOracle(1 << 15, FloatFormatsTest::bf16Value);
    SplittableRandom random = new SplittableRandom(7);
    double overflow = oracle.overflowMidpoint(Math.pow(2, 128));
    for (int i = 0; i < SAMPLES; i++) {
      float x = Float.intBitsToFloat(random.nextInt());
      if (Float.isNaN(x)) {
        continue;
      }
      double m = Math.abs((double) x);
      int expected = m >= overflow ? 0x7F80 : oracle.nearest(m);
      expected |= x < 0 || (x == 0 && 1 / x < 0) ? 0x8000 : 0;
      assertEquals(expected, Bf16.fromFloat(x) & 0xFFFF, () -> "bf16 of " + x);
    }
  }

  @Test
  void f16EdgeCasesMatchNumpy() {
    float[] in = {0f, -0f, 1f, -2.5f, 65504f, 65519f, 65520f, 1e-8f, 0x1p-24f, 0x1p-25f, 3 * 0x1p-25f, 0x1p-14f,
        1f / 3, Float.POSITIVE_INFINITY, 0.1f};
    int[] bits = {0x0, 0x8000, 0x3c00, 0xc100, 0x7bff, 0x7bff, 0x7c00, 0x0, 0x1, 0x0, 0x2, 0x400, 0x3555, 0x7c00,
        0x2e66};
    for (int i = 0; i < in.length; i++) {
      assertEquals(bits[i], Fp16.fromFloat(in[i]) & 0xFFFF, "f16 of " + in[i]);
    }
    assertEquals(0x7E00, Fp16.fromFloat(Float.NaN) & 0xFFFF);
    assertEquals(0xFE00, Fp16.fromFloat(Float.intBitsToFloat(0xFFC00000)) & 0xFFFF, "NaN keeps its sign");
    assertEquals(0x1p-24f, Fp16.toFloat((short) 1));
    assertEquals(65504f, Fp16.toFloat((short) 0x7bff));
    assertTrue(Float.isNaN(Fp16.toFloat((short) 0x7E00)));
  }

  @Test
  void f16NarrowsToNearestEvenIncludingSubnormals() {
    NearestEvenOracle oracle = new NearestEvenOracle(1 << 15, FloatFormatsTest::f16Value);
    SplittableRandom random = new SplittableRandom(11);
    double overflow = oracle.overflowMidpoint(65536);
    for (int i = 0; i < SAMPLES; i++) {
      // exponents around the half range, so subnormals, ties and overflow all occur
      float x = (float) ((random.nextBoolean() ? 1 : -1) * Math.scalb(1 + random.nextDouble(), random.nextInt(-27, 17)));
      float tie = i % 4 == 0 ? (float) midpointNear(oracle, Math.abs(x)) * Math.signum(x) : x;
      double m = Math.abs((double) tie);
      int expected = (m >= overflow ? 0x7C00 : oracle.nearest(m)) | (tie < 0 ? 0x8000 : 0);
      assertEquals(expected, Fp16.fromFloat(tie) & 0xFFFF, () -> "f16 of " + tie);
    }
  }

  /** A midpoint between two neighbouring representable values (exact in float32 for f16/f8 formats). */
  private static double midpointNear(NearestEvenOracle oracle, double m) {
    double v = f16Value(oracle.nearest(Math.min(m, oracle.largest())));
    double up = f16Value(oracle.nearest(Math.min(m, oracle.largest())) + 1);
    return Double.isFinite(up) ? (v + up) / 2 : v;
  }

  @Test
  void everyHalfWidensToItsDefinedValue() {
    for (int code = 0; code < 1 << 16; code++) {
      double expected = f16Value(code);
      float actual = Fp16.toFloat((short) code);
      if (Double.isNaN(expected)) {
        assertTrue(Float.isNaN(actual));
      } else {
        assertEquals(expected, actual, 0.0, "half 0x" + Integer.toHexString(code));
      }
    }
  }

  @Test
  void e4m3FollowsTorchCastWithoutSaturation() {
    assertEquals(0x7E, Fp8E4M3.fromFloat(448f) & 0xFF);
    assertEquals(0x7E, Fp8E4M3.fromFloat(464f) & 0xFF, "464 ties to even 448");
    assertEquals(0x7F, Fp8E4M3.fromFloat(465f) & 0xFF, "above 464 becomes NaN");
    assertEquals(0x7F, Fp8E4M3.fromFloat(480f) & 0xFF);
    assertEquals(0x7F, Fp8E4M3.fromFloat(1e6f) & 0xFF);
    assertEquals(0xFF, Fp8E4M3.fromFloat(-500f) & 0xFF);
    assertEquals(0x7F, Fp8E4M3.fromFloat(Float.POSITIVE_INFINITY) & 0xFF);
    assertEquals(0x7F, Fp8E4M3.fromFloat(Float.NaN) & 0xFF);
    assertEquals(0x38, Fp8E4M3.fromFloat(1f) & 0xFF);
    assertEquals(0x08, Fp8E4M3.fromFloat(0x1p-6f) & 0xFF, "smallest normal");
    assertEquals(0x01, Fp8E4M3.fromFloat(0x1p-9f) & 0xFF, "smallest subnormal");
    assertEquals(0x00, Fp8E4M3.fromFloat(0x1p-10f) & 0xFF, "tie between 0 and 2^-9 goes to 0");
    assertEquals(0x02, Fp8E4M3.fromFloat(3 * 0x1p-10f) & 0xFF, "tie between 1 and 2 (x 2^-9) goes to 2");
    assertEquals(0x80, Fp8E4M3.fromFloat(-0f) & 0xFF);
    assertEquals(448f, Fp8E4M3.toFloat((byte) 0x7E));
    assertEquals(-0x1p-9f, Fp8E4M3.toFloat((byte) 0x81));
    assertTrue(Float.isNaN(Fp8E4M3.toFloat((byte) 0xFF)));
  }

  @Test
  void e4m3NarrowsToNearestEvenBelowTheNanThreshold() {
    NearestEvenOracle oracle = new NearestEvenOracle(0x80, FloatFormatsTest::e4m3Value);
    SplittableRandom random = new SplittableRandom(13);
    for (int i = 0; i < SAMPLES; i++) {
      float x = (float) ((random.nextBoolean() ? 1 : -1) * Math.scalb(1 + random.nextDouble(), random.nextInt(-12, 10)));
      double m = Math.abs((double) x);
      int expected = (m > 464 ? 0x7F : oracle.nearest(m)) | (x < 0 ? 0x80 : 0);
      assertEquals(expected, Fp8E4M3.fromFloat(x) & 0xFF, () -> "e4m3 of " + x);
    }
    for (int code = 0; code < 256; code++) {
      double v = e4m3Value(code);
      if (!Double.isNaN(v)) {
        assertEquals(v, Fp8E4M3.toFloat((byte) code), 0.0);
        assertEquals(code, Fp8E4M3.fromFloat((float) v) & 0xFF, "round trip of code " + code);
      }
    }
  }

  @Test
  void e5m2WidensAsTheTopByteOfAHalfAndOverflowsToInf() {
    assertEquals(57344f, Fp8E5M2.toFloat((byte) 0x7B));
    assertEquals(Float.POSITIVE_INFINITY, Fp8E5M2.toFloat((byte) 0x7C));
    assertEquals(0x1p-16f, Fp8E5M2.toFloat((byte) 0x01));
    assertEquals(0x7B, Fp8E5M2.fromFloat(61439f) & 0xFF);
    assertEquals(0x7C, Fp8E5M2.fromFloat(61440f) & 0xFF, "tie above the largest finite value goes to Inf");
    assertEquals(0x7F, Fp8E5M2.fromFloat(Float.NaN) & 0xFF);
    assertEquals(0x3C, Fp8E5M2.fromFloat(1f) & 0xFF);
    for (int code = 0; code < 256; code++) {
      double v = f16Value(code << 8);
      if (!Double.isNaN(v)) {
        assertEquals(code, Fp8E5M2.fromFloat((float) v) & 0xFF, "round trip of code " + code);
      }
    }
  }

  @Test
  void bulkDecodeAndEncodeAgreeWithScalarConversions() {
    SplittableRandom random = new SplittableRandom(17);
    float[] values = new float[40_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * 100);
    }
    ByteBuffer bf = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    Bf16.encode(values, 0, values.length, bf);
    ByteBuffer h = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    Fp16.encode(values, 0, values.length, h);
    ByteBuffer f8 = ByteBuffer.allocate(values.length);
    Fp8E4M3.encode(values, 0, values.length, f8);
    float[] bfBack = new float[values.length];
    float[] hBack = new float[values.length];
    float[] f8Back = new float[values.length];
    Bf16.decode(bf.flip(), bfBack, 0, values.length);
    Fp16.decode(h.flip(), hBack, 0, values.length);
    Fp8E4M3.decode(f8.flip(), f8Back, 0, values.length);
    float[] bfExpected = new float[values.length];
    float[] hExpected = new float[values.length];
    float[] f8Expected = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      bfExpected[i] = Bf16.toFloat(Bf16.fromFloat(values[i]));
      hExpected[i] = Fp16.toFloat(Fp16.fromFloat(values[i]));
      f8Expected[i] = Fp8E4M3.toFloat(Fp8E4M3.fromFloat(values[i]));
    }
    assertArrayEquals(bfExpected, bfBack);
    assertArrayEquals(hExpected, hBack);
    assertArrayEquals(f8Expected, f8Back);
  }
}
