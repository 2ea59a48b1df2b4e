package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.tsumugi.config.LrSchedulerConfig;
import org.tsumugi.config.LrSchedulerType;
import org.tsumugi.config.StepCount;

/** Each schedule against values worked out by hand from the formulas of reference/training.md §4.4. */
class LrScheduleTest {
  private static final double EPS = 1e-12;
  private static final double LR = 1e-3;

  @Test
  void constantIsOneAndRefusesWarmup() {
    LrSchedule s = schedule(config(LrSchedulerType.CONSTANT, 0, 0), 100);
    assertEquals(1.0, s.factor(0));
    assertEquals(1.0, s.factor(1000));
    TrainingOptionException e = assertThrows(TrainingOptionException.class,
        () -> schedule(config(LrSchedulerType.CONSTANT, 5, 0), 100));
    assertEquals("lr_warmup_steps", e.option());
  }

  @Test
  void warmupGivesZeroToTheFirstUpdate() {
    LrSchedule s = schedule(config(LrSchedulerType.CONSTANT_WITH_WARMUP, 10, 0), 100);
    assertEquals(0.0, s.factor(0));
    assertEquals(0.0, s.lr(0, 0));
    assertEquals(0.5, s.factor(5), EPS);
    assertEquals(1.0, s.factor(10));
    assertEquals(1.0, s.factor(99));
  }

  @Test
  void warmupGivenAsRatioResolvesAgainstTotalSteps() {
    LrSchedule s = schedule(new LrSchedulerConfig(LrSchedulerType.CONSTANT_WITH_WARMUP, new StepCount.Ratio(0.1),
        StepCount.zero(), 1, 1.0, OptionalInt.empty(), OptionalDouble.empty(), Map.of()), 200);
    assertEquals(20, s.warmupSteps());
    assertEquals(0.5, s.factor(10), EPS);
  }

  @Test
  void linearFallsToZeroAtTheEnd() {
    LrSchedule s = schedule(config(LrSchedulerType.LINEAR, 10, 0), 100);
    assertEquals(0.3, s.factor(3), EPS);
    assertEquals(1.0, s.factor(10), EPS);
    assertEquals(45.0 / 90, s.factor(55), EPS);
    assertEquals(0.0, s.factor(100), EPS);
    assertEquals(0.0, s.factor(120), EPS);
  }

  @Test
  void cosineIsHalfAtMidDecay() {
    LrSchedule s = schedule(config(LrSchedulerType.COSINE, 10, 0), 110);
    assertEquals(1.0, s.factor(10), EPS);
    assertEquals(0.5, s.factor(60), EPS);
    assertEquals(0.5 * (1 + Math.cos(Math.PI / 4)), s.factor(35), EPS);
    assertEquals(0.0, s.factor(110), EPS);
    LrSchedule fullWave = schedule(withArgs(config(LrSchedulerType.COSINE, 0, 0), Map.of("num_cycles", "1.0")), 100);
    assertEquals(0.0, fullWave.factor(50), EPS);
    assertEquals(1.0, fullWave.factor(100), EPS);
  }

  @Test
  void cosineWithRestartsRestartsEachCycle() {
    LrSchedulerConfig c = new LrSchedulerConfig(LrSchedulerType.COSINE_WITH_RESTARTS, StepCount.zero(),
        StepCount.zero(), 2, 1.0, OptionalInt.empty(), OptionalDouble.empty(), Map.of());
    LrSchedule s = schedule(c, 100);
    assertEquals(1.0, s.factor(0), EPS);
    assertEquals(0.5, s.factor(25), EPS);
    assertEquals(1.0, s.factor(50), EPS);
    assertEquals(0.5, s.factor(75), EPS);
    assertEquals(0.0, s.factor(100), EPS);
  }

  @Test
  void polynomialDecaysToLrEnd() {
    LrSchedulerConfig c = new LrSchedulerConfig(LrSchedulerType.POLYNOMIAL, StepCount.zero(), StepCount.zero(), 1,
        2.0, OptionalInt.empty(), OptionalDouble.empty(), Map.of());
    LrSchedule s = schedule(c, 100);
    assertEquals(1.0, s.factor(0), EPS);
    assertEquals(((LR - 1e-7) * 0.25 + 1e-7) / LR, s.factor(50), EPS);
    assertEquals(1e-7 / LR, s.factor(100), EPS);
    assertEquals(1e-7 / LR, s.factor(150), EPS);
    LrSchedule custom = schedule(withArgs(c, Map.of("lr_end", "1e-5")), 100);
    assertEquals(1e-5 / LR, custom.factor(100), EPS);
    assertThrows(TrainingOptionException.class, () -> schedule(withArgs(c, Map.of("lr_end", "1e-3")), 100));
    assertThrows(TrainingOptionException.class, () -> schedule(config(LrSchedulerType.POLYNOMIAL, 100, 0), 100));
  }

  @Test
  void inverseSqrtUsesTimescale() {
    LrSchedule noWarmup = schedule(config(LrSchedulerType.INVERSE_SQRT, 0, 0), 100);
    assertEquals(1.0, noWarmup.factor(0), EPS);
    assertEquals(0.5, noWarmup.factor(30_000), EPS);
    LrSchedule warm = schedule(config(LrSchedulerType.INVERSE_SQRT, 100, 0), 1000);
    assertEquals(0.5, warm.factor(50), EPS);
    assertEquals(1.0, warm.factor(100), EPS);
    assertEquals(0.5, warm.factor(400), EPS);
    LrSchedulerConfig timescale = new LrSchedulerConfig(LrSchedulerType.INVERSE_SQRT, new StepCount.Steps(100),
        StepCount.zero(), 1, 1.0, OptionalInt.of(200), OptionalDouble.empty(), Map.of());
    assertEquals(1 / Math.sqrt(3), schedule(timescale, 1000).factor(500), EPS);
  }

  @Test
  void cosineWithMinLrNeedsAndUsesTheRatio() {
    assertEquals("lr_scheduler_min_lr_ratio", assertThrows(TrainingOptionException.class,
        () -> schedule(config(LrSchedulerType.COSINE_WITH_MIN_LR, 0, 0), 100)).option());
    LrSchedule s = schedule(withRatio(config(LrSchedulerType.COSINE_WITH_MIN_LR, 0, 0), 0.1), 100);
    assertEquals(1.0, s.factor(0), EPS);
    assertEquals(0.55, s.factor(50), EPS);
    assertEquals(0.1, s.factor(100), EPS);
    LrSchedule fromMinLr = schedule(withArgs(config(LrSchedulerType.COSINE_WITH_MIN_LR, 0, 0),
        Map.of("min_lr", "1e-4")), 100);
    assertEquals(0.55, fromMinLr.factor(50), EPS);
  }

  @Test
  void warmupStableDecayHasThreePhases() {
    LrSchedule s = schedule(withRatio(config(LrSchedulerType.WARMUP_STABLE_DECAY, 10, 20), 0.05), 100);
    assertEquals(0.05, s.factor(0), EPS);
    assertEquals(0.5 * 0.95 + 0.05, s.factor(5), EPS);
    assertEquals(1.0, s.factor(10), EPS);
    assertEquals(1.0, s.factor(79), EPS);
    assertEquals(1.0, s.factor(80), EPS);
    assertEquals(0.5 * 0.95 + 0.05, s.factor(90), EPS);
    assertEquals(0.05, s.factor(100), EPS);
    LrSchedule shapes = schedule(withArgs(config(LrSchedulerType.WARMUP_STABLE_DECAY, 10, 20),
        Map.of("warmup_type", "'1-sqrt'", "decay_type", "\"linear\"")), 100);
    assertEquals(1 - Math.sqrt(0.5), shapes.factor(5), EPS);
    assertEquals(0.75, shapes.factor(85), EPS);
    assertThrows(TrainingOptionException.class, () -> schedule(withArgs(
        config(LrSchedulerType.WARMUP_STABLE_DECAY, 10, 20), Map.of("decay_type", "exp")), 100));
  }

  @Test
  void piecewiseConstantStepsAreAbsoluteBoundaries() {
    LrSchedule s = schedule(withArgs(config(LrSchedulerType.PIECEWISE_CONSTANT, 0, 0),
        Map.of("step_rules", "'1:10,0.1:20,0.01'")), 100);
    assertEquals(1.0, s.factor(0));
    assertEquals(1.0, s.factor(9));
    assertEquals(0.1, s.factor(10));
    assertEquals(0.1, s.factor(19));
    assertEquals(0.01, s.factor(20));
    assertEquals(0.01, s.factor(5000));
    assertThrows(TrainingOptionException.class,
        () -> schedule(config(LrSchedulerType.PIECEWISE_CONSTANT, 0, 0), 100));
    assertThrows(TrainingOptionException.class, () -> schedule(withArgs(
        config(LrSchedulerType.PIECEWISE_CONSTANT, 0, 0), Map.of("step_rules", "1:ten,0.1")), 100));
  }

  @Test
  void rexFollowsItsCurveWithoutWarmup() {
    LrSchedule s = schedule(config(LrSchedulerType.REX, 0, 0), 100);
    double m = 0.01;
    assertEquals(LR, s.lr(0, 0), EPS);
    assertEquals(LR * (m + (1 - m) * 0.5 / (0.1 + 0.9 * 0.5)), s.lr(0, 50), EPS);
    assertEquals(LR * m, s.lr(0, 100), EPS);
    LrSchedule tuned = schedule(withArgs(config(LrSchedulerType.REX, 0, 0),
        Map.of("rex_alpha", "0.2", "rex_beta", "0.8")), 100);
    assertEquals(LR * (m + (1 - m) * 0.5 / (0.2 + 0.8 * 0.5)), tuned.lr(0, 50), EPS);
  }

  @Test
  void rexWarmupIsAbsoluteAndStepZeroIsTheQuirk() {
    LrSchedule s = LrSchedule.create(config(LrSchedulerType.REX, 5, 0), 100, LR, new double[] {LR, 4 * LR});
    double minLr = 0.01 * LR;
    // step 0 is not a warmup step: a = -5, (-5 mod 95) = 90, z = 5/95
    double z0 = 5.0 / 95;
    assertEquals(LR * (0.01 + 0.99 * z0 / (0.1 + 0.9 * z0)), s.lr(0, 0), EPS);
    assertEquals(minLr, s.lr(0, 1), EPS);
    assertEquals(minLr, s.lr(1, 1), EPS);
    assertEquals(minLr + (LR - minLr) * 2 / 4, s.lr(1, 3), EPS);
    assertEquals(minLr + (LR - minLr) * 3 / 4, s.lr(0, 4), EPS);
    assertEquals(LR, s.lr(0, 5), EPS);
    assertEquals(4 * LR, s.lr(1, 5), EPS);
    assertEquals(1.0, s.factor(5), EPS);
  }

  @Test
  void rexWithOneWarmupStepStartsAtMinLr() {
    LrSchedule s = schedule(withRatio(config(LrSchedulerType.REX, 1, 0), 0.1), 100);
    assertEquals(0.1 * LR, s.lr(0, 0), EPS);
    assertEquals(0.1 * LR, s.lr(0, 1), EPS);
    double z = 98.0 / 99;
    assertEquals(LR * (0.1 + 0.9 * z / (0.1 + 0.9 * z)), s.lr(0, 2), EPS);
  }

  @Test
  void rexRefusesMinAboveMaxAndWarmupBeyondTheRun() {
    assertThrows(TrainingOptionException.class,
        () -> schedule(withRatio(config(LrSchedulerType.REX, 0, 0), 2.0), 100));
    assertThrows(TrainingOptionException.class, () -> schedule(config(LrSchedulerType.REX, 101, 0), 100));
  }

  @Test
  void groupLrIsItsBaseTimesTheFactor() {
    LrSchedule s = LrSchedule.create(config(LrSchedulerType.LINEAR, 0, 0), 100, LR, new double[] {LR, 8 * LR});
    assertEquals(0.5 * LR, s.lr(0, 50), EPS);
    assertEquals(4 * LR, s.lr(1, 50), EPS);
  }

  @Test
  void refusesArgumentsTheScheduleDoesNotTake() {
    TrainingOptionException e = assertThrows(TrainingOptionException.class,
        () -> schedule(withArgs(config(LrSchedulerType.LINEAR, 0, 0), Map.of("num_cycles", "3")), 100));
    assertEquals("lr_scheduler_args", e.option());
    assertTrue(e.getMessage().contains("num_cycles") && e.getMessage().contains("linear"), e.getMessage());
  }

  private static LrSchedule schedule(LrSchedulerConfig config, long total) {
    return LrSchedule.create(config, total, LR, new double[] {LR});
  }

  private static LrSchedulerConfig config(LrSchedulerType type, long warmup, long decay) {
    return new LrSchedulerConfig(type, new StepCount.Steps(warmup), new StepCount.Steps(decay), 1, 1.0,
        OptionalInt.empty(), OptionalDouble.empty(), Map.of());
  }

  private static LrSchedulerConfig withArgs(LrSchedulerConfig c, Map<String, String> args) {
    return new LrSchedulerConfig(c.lrScheduler(), c.lrWarmupSteps(), c.lrDecaySteps(), c.lrSchedulerNumCycles(),
        c.lrSchedulerPower(), c.lrSchedulerTimescale(), c.lrSchedulerMinLrRatio(), args);
  }

  private static LrSchedulerConfig withRatio(LrSchedulerConfig c, double ratio) {
    return new LrSchedulerConfig(c.lrScheduler(), c.lrWarmupSteps(), c.lrDecaySteps(), c.lrSchedulerNumCycles(),
        c.lrSchedulerPower(), c.lrSchedulerTimescale(), OptionalDouble.of(ratio), c.schedulerArgs());
  }
}
