package org.tsumugi.actors.training;

import java.util.ArrayList;
import java.util.List;
import org.tsumugi.engine.train.StepPlan;
import java.util.OptionalInt;
import org.tsumugi.actors.RunEvent.SaveKind;
import org.tsumugi.config.SaveConfig;

/**
 * When checkpoints and states are saved and which older ones are removed (reference/training.md §5.3), as ordered
 * lists of {@link SaveAction}s per save point. The rules and the order within a save point are the reference's:
 * step save = checkpoint, state, old state removed, old checkpoint removed; epoch save = checkpoint, old checkpoint
 * removed, state, old state removed; end = final state, final checkpoint.
 */
public final class SavePolicy {
  private final SaveConfig save;
  private final SaveNames names;
  private final long numTrainEpochs;

  public SavePolicy(SaveConfig save, long numTrainEpochs) {
    this.save = save;
    this.names = new SaveNames(save.outputName());
    this.numTrainEpochs = numTrainEpochs;
  }

  public SaveNames names() {
    return names;
  }

  /**
   * After optimizer step {@code step} completed in 0-based epoch {@code epoch0}.
   */
  public List<SaveAction> afterStep(long step, int epoch0) {
    List<SaveAction> actions = new ArrayList<>();
    if (!stepSavePoint(step)) {
      return actions;
    }
    actions.add(new SaveAction.Lora(names.stepLora(step), SaveKind.STEP, step, epoch0, epoch0 + 1));
    if (save.saveState()) {
      actions.add(new SaveAction.State(names.stepState(step), SaveKind.STEP, step, epoch0 + 1));
    }
    actions.addAll(stepRemovals(step));
    return actions;
  }

  /** After 1-based epoch {@code epoch} ended with {@code step} optimizer steps done. */
  public List<SaveAction> afterEpoch(int epoch, long step) {
    List<SaveAction> actions = new ArrayList<>();
    if (!epochSavePoint(epoch)) {
      return actions;
    }
    actions.add(new SaveAction.Lora(names.epochLora(epoch), SaveKind.EPOCH, step, epoch, epoch));
    epochLoraRemoval(epoch).ifPresent(r -> actions.add(new SaveAction.Remove(names.epochLora(r))));
    if (save.saveState()) {
      actions.add(new SaveAction.State(names.epochState(epoch), SaveKind.EPOCH, step, epoch));
      epochStateRemoval(epoch).ifPresent(r -> actions.add(new SaveAction.Remove(names.epochState(r))));
    }
    return actions;
  }

  /** At the end of training: the final state (with save_state or save_state_on_train_end), then the final LoRA. */
  public List<SaveAction> atEnd(long step) {
    List<SaveAction> actions = new ArrayList<>();
    if (save.saveState() || save.saveStateOnTrainEnd()) {
      actions.add(new SaveAction.State(names.finalState(), SaveKind.FINAL, step, (int) numTrainEpochs));
    }
    actions.add(new SaveAction.Lora(names.finalLora(), SaveKind.FINAL, step, numTrainEpochs, (int) numTrainEpochs));
    return actions;
  }

  /**
   * The step and epoch checkpoints an uninterrupted run of {@code plan} writes, counted once per step (what a live
   * beta→beta2 EMA spreads its interpolation over).
   */
  public int plannedCheckpoints(StepPlan plan) {
    java.util.Set<Long> steps = new java.util.TreeSet<>();
    for (long step = 1; step <= plan.maxTrainSteps(); step++) {
      if (stepSavePoint(step)) {
        steps.add(step);
      }
    }
    for (int epoch = 1; epoch <= plan.numTrainEpochs(); epoch++) {
      if (epochSavePoint(epoch)) {
        steps.add(Math.min((long) epoch * plan.stepsPerEpoch(), plan.maxTrainSteps()));
      }
    }
    return steps.size();
  }

  /** A save asked for while running: checkpoint and state under the step names, nothing removed. */
  public List<SaveAction> onRequest(long step, int epoch0) {
    return List.of(
        new SaveAction.Lora(names.stepLora(step), SaveKind.ON_REQUEST, step, epoch0, epoch0 + 1),
        new SaveAction.State(names.stepState(step), SaveKind.ON_REQUEST, step, epoch0 + 1));
  }

  /**
   * The removals of the save point a resumed state was written at: a run killed after the state was durable but before
   * its save point's removals finished would otherwise keep those files.
   */
  public List<SaveAction> removalsOnResume(SaveKind kind, long step, int epoch) {
    List<SaveAction> actions = new ArrayList<>();
    if (kind == SaveKind.EPOCH && epochSavePoint(epoch)) {
      epochLoraRemoval(epoch).ifPresent(r -> actions.add(new SaveAction.Remove(names.epochLora(r))));
      if (save.saveState()) {
        epochStateRemoval(epoch).ifPresent(r -> actions.add(new SaveAction.Remove(names.epochState(r))));
      }
    } else if (kind != SaveKind.FINAL && stepSavePoint(step)) {
      actions.addAll(stepRemovals(step));
    }
    return actions;
  }

  private boolean stepSavePoint(long step) {
    return save.saveEveryNSteps().isPresent() && step % save.saveEveryNSteps().getAsInt() == 0;
  }

  /** The last epoch never gets an epoch file: the final file follows it. */
  private boolean epochSavePoint(int epoch) {
    return save.saveEveryNEpochs().isPresent() && epoch % save.saveEveryNEpochs().getAsInt() == 0
        && epoch < numTrainEpochs;
  }

  private List<SaveAction> stepRemovals(long step) {
    List<SaveAction> actions = new ArrayList<>();
    int every = save.saveEveryNSteps().getAsInt();
    if (save.saveState()) {
      OptionalInt lastStates = save.saveLastNStepsState().isPresent() ? save.saveLastNStepsState()
          : save.saveLastNSteps();
      if (lastStates.isPresent()) {
        long r = stepToRemove(step, lastStates.getAsInt(), every);
        if (r > 0) {
          actions.add(new SaveAction.Remove(names.stepState(r)));
        }
      }
    }
    if (save.saveLastNSteps().isPresent()) {
      long r = stepToRemove(step, save.saveLastNSteps().getAsInt(), every);
      if (r >= 0) {
        actions.add(new SaveAction.Remove(names.stepLora(r)));
      }
    }
    return actions;
  }

  /** The reference's get_remove_step_no: keep the saves of the last {@code lastN} steps. */
  static long stepToRemove(long step, int lastN, int every) {
    long r = step - lastN - 1;
    return r - Math.floorMod(r, (long) every);
  }

  private OptionalInt epochLoraRemoval(int epoch) {
    if (save.saveLastNEpochs().isEmpty()) {
      return OptionalInt.empty();
    }
    int r = epoch - save.saveEveryNEpochs().getAsInt() * save.saveLastNEpochs().getAsInt();
    return r >= 0 ? OptionalInt.of(r) : OptionalInt.empty();
  }

  private OptionalInt epochStateRemoval(int epoch) {
    OptionalInt last = save.saveLastNEpochsState().isPresent() ? save.saveLastNEpochsState() : save.saveLastNEpochs();
    if (last.isEmpty()) {
      return OptionalInt.empty();
    }
    int r = epoch - save.saveEveryNEpochs().getAsInt() * last.getAsInt();
    return r >= 1 ? OptionalInt.of(r) : OptionalInt.empty();
  }
}
