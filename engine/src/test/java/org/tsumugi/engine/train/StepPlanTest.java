package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Gradient-accumulation bookkeeping of reference/training.md §5.1–§5.2, against hand-worked cases. */
class StepPlanTest {
  @Test
  void fiveBatchesWithAccumulationTwoSyncAtTheSecondFourthAndFifth() {
    StepPlan plan = StepPlan.of(5, 2, 1600, OptionalInt.empty());
    assertEquals(3, plan.stepsPerEpoch());
    boolean[] expected = {false, true, false, true, true};
    for (int b = 0; b < 5; b++) {
      assertEquals(expected[b], plan.isSyncStep(b), "batch " + (b + 1));
    }
    assertEquals(OptionalLong.of(1), plan.completesStep(0, 1));
    assertEquals(OptionalLong.of(2), plan.completesStep(0, 3));
    assertEquals(OptionalLong.of(3), plan.completesStep(0, 4));
    assertEquals(OptionalLong.empty(), plan.completesStep(1, 0));
    assertEquals(OptionalLong.of(4), plan.completesStep(1, 1));
    assertEquals(OptionalLong.of(6), plan.completesStep(1, 4));
  }

  @Test
  void runStopsMidEpochAtMaxTrainSteps() {
    StepPlan plan = StepPlan.of(5, 2, 4, OptionalInt.empty());
    assertEquals(2, plan.numTrainEpochs());
    assertTrue(plan.runs(1, 0));
    assertTrue(plan.runs(1, 1));
    assertEquals(OptionalLong.of(4), plan.completesStep(1, 1));
    assertFalse(plan.runs(1, 2));
    assertFalse(plan.runs(2, 0));
    assertEquals(OptionalLong.empty(), plan.completesStep(1, 3));
  }

  @Test
  void maxTrainEpochsOverridesSteps() {
    StepPlan plan = StepPlan.of(5, 2, 1600, OptionalInt.of(3));
    assertEquals(9, plan.maxTrainSteps());
    assertEquals(3, plan.numTrainEpochs());
    assertEquals(OptionalLong.of(9), plan.completesStep(2, 4));
  }

  @Test
  void withoutAccumulationEveryBatchIsAnUpdate() {
    StepPlan plan = StepPlan.of(7, 1, 10, OptionalInt.empty());
    assertEquals(7, plan.stepsPerEpoch());
    assertEquals(2, plan.numTrainEpochs());
    for (int b = 0; b < 7; b++) {
      assertTrue(plan.isSyncStep(b));
    }
    assertEquals(OptionalLong.of(10), plan.completesStep(1, 2));
    assertFalse(plan.runs(1, 3));
  }

  @Test
  void accumulationLongerThanTheEpochSyncsOnlyAtItsEnd() {
    StepPlan plan = StepPlan.of(3, 4, 5, OptionalInt.empty());
    assertEquals(1, plan.stepsPerEpoch());
    assertEquals(5, plan.numTrainEpochs());
    assertFalse(plan.isSyncStep(0));
    assertFalse(plan.isSyncStep(1));
    assertTrue(plan.isSyncStep(2));
    assertEquals(OptionalLong.of(5), plan.completesStep(4, 2));
  }

  @Test
  void refusesAccumulationBelowOne() {
    assertEquals("gradient_accumulation_steps", assertThrows(TrainingOptionException.class,
        () -> StepPlan.of(5, 0, 10, OptionalInt.empty())).option());
  }
}
