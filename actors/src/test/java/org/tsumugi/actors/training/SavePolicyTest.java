package org.tsumugi.actors.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.tsumugi.actors.RunEvent.SaveKind;
import org.tsumugi.config.SaveConfig;
import org.tsumugi.config.SavePrecision;
import org.tsumugi.engine.train.StepPlan;

/** The reference's save points, names and removals (reference/training.md §5.3), rule by rule. */
class SavePolicyTest {

  private static SaveConfig save(Integer everyEpochs, Integer everySteps, Integer lastEpochs, Integer lastSteps,
      boolean state, boolean stateOnEnd) {
    return new SaveConfig(Path.of("out"), "lora", SavePrecision.FLOAT, opt(everyEpochs), opt(everySteps),
        opt(lastEpochs), opt(lastSteps), OptionalInt.empty(), OptionalInt.empty(), state, stateOnEnd);
  }

  private static OptionalInt opt(Integer value) {
    return value == null ? OptionalInt.empty() : OptionalInt.of(value);
  }

  @Test
  void stepSavesUseTheReferenceNamesAndZeroBasedSsEpoch() {
    SavePolicy policy = new SavePolicy(save(null, 10, null, null, true, false), 3);
    assertEquals(List.of(), policy.afterStep(9, 0));
    assertEquals(List.of(new SaveAction.Lora("lora-step00000010.safetensors", SaveKind.STEP, 10, 1, 2),
        new SaveAction.State("lora-step00000010-state", SaveKind.STEP, 10, 2)), policy.afterStep(10, 1));
  }

  @Test
  void keepsTheLastNStepsOfCheckpoints() {
    // the reference's example: every 10, last 30, at step 50 the save of step 10 goes (20..50 stay)
    SavePolicy policy = new SavePolicy(save(null, 10, null, 30, false, false), 10);
    assertTrue(policy.afterStep(50, 0).contains(new SaveAction.Remove("lora-step00000010.safetensors")));
    assertEquals(1, policy.afterStep(50, 0).stream().filter(a -> a instanceof SaveAction.Remove).count());
    // at step 40 the step to remove is 0, which the checkpoint rule tries (r ≥ 0) and the state rule skips (r > 0)
    SavePolicy withStates = new SavePolicy(save(null, 10, null, 30, true, false), 10);
    List<SaveAction> at40 = withStates.afterStep(40, 0);
    assertTrue(at40.contains(new SaveAction.Remove("lora-step00000000.safetensors")));
    assertTrue(at40.stream().noneMatch(a -> a.equals(new SaveAction.Remove("lora-step00000000-state"))));
  }

  @Test
  void theLastEpochNeverGetsAnEpochCheckpoint() {
    SavePolicy policy = new SavePolicy(save(2, null, null, null, false, false), 6);
    assertEquals(List.of(new SaveAction.Lora("lora-000002.safetensors", SaveKind.EPOCH, 20, 2, 2)),
        policy.afterEpoch(2, 20));
    assertEquals(List.of(), policy.afterEpoch(3, 30));
    assertEquals(List.of(), policy.afterEpoch(6, 60));
  }

  @Test
  void keepsTheLastNEpochSavesCountedInSaveIntervals() {
    SavePolicy policy = new SavePolicy(save(2, null, 1, null, true, false), 10);
    List<SaveAction> at4 = policy.afterEpoch(4, 40);
    assertTrue(at4.contains(new SaveAction.Remove("lora-000002.safetensors")), at4.toString());
    assertTrue(at4.contains(new SaveAction.Remove("lora-000002-state")), at4.toString());
  }

  @Test
  void theEndSavesTheFinalStateOnlyWhenAsked() {
    assertEquals(List.of(new SaveAction.Lora("lora.safetensors", SaveKind.FINAL, 60, 6, 6)),
        new SavePolicy(save(null, null, null, null, false, false), 6).atEnd(60));
    assertEquals(List.of(new SaveAction.State("lora-state", SaveKind.FINAL, 60, 6),
        new SaveAction.Lora("lora.safetensors", SaveKind.FINAL, 60, 6, 6)),
        new SavePolicy(save(null, null, null, null, false, true), 6).atEnd(60));
  }

  @Test
  void plannedCheckpointsCountEachSavedStepOnce() {
    // 4 epochs of 6 steps: step saves at 5, 10, 15, 20; epoch saves after epochs 2 (step 12) and... 4 is the last
    StepPlan plan = StepPlan.of(6, 1, 0, OptionalInt.of(4));
    assertEquals(5, new SavePolicy(save(2, 5, null, null, false, false), plan.numTrainEpochs())
        .plannedCheckpoints(plan));
    // every 6 steps and every epoch: epochs 1..3 end at steps 6, 12, 18, the same steps as the step saves
    assertEquals(4, new SavePolicy(save(1, 6, null, null, false, false), plan.numTrainEpochs())
        .plannedCheckpoints(plan));
  }
}
