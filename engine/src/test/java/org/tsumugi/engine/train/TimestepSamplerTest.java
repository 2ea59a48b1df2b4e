package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tsumugi.config.TimestepSampling;

/** Determinism, the rejection path and option checks of {@link TimestepSampler}. */
class TimestepSamplerTest {
  private final StepRandom random = new StepRandom(123);

  @Test
  void sameStepGivesSameTimestepsAndOtherStepsDiffer() {
    TimestepSampler sampler = new TimestepSampler(
        TimestepConfigBuilder.of(TimestepSampling.SHIFT).shift(3).build(), SigmaDtype.BFLOAT16);
    float[] a = sampler.sample(8, 40, 64, 64, random, Optional.empty(), 0).sigmas();
    float[] b = new TimestepSampler(TimestepConfigBuilder.of(TimestepSampling.SHIFT).shift(3).build(),
        SigmaDtype.BFLOAT16).sample(8, 40, 64, 64, new StepRandom(123), Optional.empty(), 0).sigmas();
    float[] c = sampler.sample(8, 41, 64, 64, random, Optional.empty(), 0).sigmas();
    assertArrayEquals(a, b);
    assertNotEquals(Arrays.toString(a), Arrays.toString(c));
  }

  @Test
  void modelTimestepIsThousandTimesNoiseLevelPlusOne() {
    TimestepSampler sampler = new TimestepSampler(
        TimestepConfigBuilder.of(TimestepSampling.SIGMOID).build(), SigmaDtype.BFLOAT16);
    TimestepSampler.Sample s = sampler.sample(64, 2, 64, 64, random, Optional.empty(), 0);
    for (int i = 0; i < 64; i++) {
      assertEquals(1000.0 * s.sigmas()[i] + 1, s.modelTimesteps()[i], 1e-4);
    }
  }

  @Test
  void rejectionKeepsOnlyNoiseLevelsInsideTheRange() {
    TimestepSampler sampler = new TimestepSampler(TimestepConfigBuilder.of(TimestepSampling.SIGMOID)
        .range(700, 800).preserveShape().build(), SigmaDtype.BFLOAT16);
    TimestepSampler.Sample s = sampler.sample(50, 9, 64, 64, random, Optional.empty(), 0);
    assertFalse(s.rangeRejectionExhausted());
    for (float t : s.sigmas()) {
      assertTrue(t >= 0.7f && t <= 0.8f, "t=" + t);
    }
  }

  @Test
  void exhaustedRejectionUsesTheLastUnfilteredRound() {
    // sigmoid with a tiny scale keeps t near 0.5, never inside [0, 0.1]
    TimestepSampler sampler = new TimestepSampler(TimestepConfigBuilder.of(TimestepSampling.SIGMOID)
        .sigmoidScale(1e-3).range(0, 100).preserveShape().build(), SigmaDtype.BFLOAT16);
    TimestepSampler.Sample s = sampler.sample(2, 9, 64, 64, random, Optional.empty(), 0);
    assertTrue(s.rangeRejectionExhausted());
    for (float t : s.sigmas()) {
      assertEquals(0.5, t, 0.01, "unfiltered and not squeezed");
    }
  }

  @Test
  void rejectionWithBucketsAdvancesThePoolByTheBatchEachRound() {
    TimestepSampler sampler = new TimestepSampler(TimestepConfigBuilder.of(TimestepSampling.UNIFORM)
        .range(0, 1000).preserveShape().buckets(4).build(), SigmaDtype.BFLOAT16);
    TimestepSampler.Sample first = sampler.sample(3, 0, 64, 64, random, Optional.empty(), 10);
    assertEquals(13, first.poolPosition());
    // uniform mode passes u through: the batch is exactly pool draws 10, 11, 12
    for (int i = 0; i < 3; i++) {
      assertEquals((float) TimestepBuckets.poolDraw(random, 4, 10 + i), first.sigmas()[i]);
    }
  }

  @Test
  void withoutRejectionThePoolIsUntouched() {
    TimestepSampler sampler = new TimestepSampler(
        TimestepConfigBuilder.of(TimestepSampling.UNIFORM).buckets(4).build(), SigmaDtype.BFLOAT16);
    assertEquals(7, sampler.sample(3, 0, 64, 64, random, Optional.empty(), 7).poolPosition());
  }

  @Test
  void refusesBucketedUniformsOfTheWrongLength() {
    TimestepSampler sampler = new TimestepSampler(
        TimestepConfigBuilder.of(TimestepSampling.UNIFORM).build(), SigmaDtype.BFLOAT16);
    assertThrows(IllegalArgumentException.class,
        () -> sampler.sample(3, 0, 64, 64, random, Optional.of(new double[] {0.1, 0.2}), 0));
  }

  @Test
  void refusesAnEmptyOrOutOfBoundsRange() {
    TrainingOptionException inverted = assertThrows(TrainingOptionException.class, () -> new TimestepSampler(
        TimestepConfigBuilder.of(TimestepSampling.SHIFT).range(800, 200).build(), SigmaDtype.BFLOAT16));
    assertEquals("min_timestep", inverted.option());
    assertTrue(inverted.getMessage().contains("800") && inverted.getMessage().contains("200"));
    TrainingOptionException high = assertThrows(TrainingOptionException.class, () -> new TimestepSampler(
        TimestepConfigBuilder.of(TimestepSampling.SHIFT).range(0, 1001).build(), SigmaDtype.BFLOAT16));
    assertEquals("max_timestep", high.option());
  }

  @Test
  void refusesANonPositiveShift() {
    TrainingOptionException e = assertThrows(TrainingOptionException.class, () -> new TimestepSampler(
        TimestepConfigBuilder.of(TimestepSampling.SHIFT).shift(0).build(), SigmaDtype.BFLOAT16));
    assertEquals("discrete_flow_shift", e.option());
  }

  @Test
  void noiseLevelIsUndefinedForMixtures() {
    TimestepSampler sampler = new TimestepSampler(
        TimestepConfigBuilder.of(TimestepSampling.QINGLONG_FLUX).build(), SigmaDtype.BFLOAT16);
    assertThrows(IllegalStateException.class, () -> sampler.noiseLevel(0.3, 64, 64));
  }

  @Test
  void ideogram4IsClampedToItsInterval() {
    TimestepSampler sampler = new TimestepSampler(
        TimestepConfigBuilder.of(TimestepSampling.IDEOGRAM4_SHIFT).build(), SigmaDtype.BFLOAT16);
    // u at the clamp edges: t would be σ(mean ∓ 1.5·5.2); it is clamped to [1/(1+e^7.5), 1 − 1/(1+e^9)]
    assertEquals(1 / (1 + Math.exp(7.5)), sampler.noiseLevel(0.0, 8, 8), 1e-9);
    assertEquals(1 - 1 / (1 + Math.exp(9)), sampler.noiseLevel(1.0, 1024, 1024), 1e-7);
  }
}
