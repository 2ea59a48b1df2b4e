package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients, in place and outside any GradientCollector. All of its state is plain
 * named tensors and counters so that a state save captures it completely and a resume continues bit-exactly.
 */
public interface Optimizer {

  /**
   * One update with each group's current learning rate (the schedule has already been applied). Temporaries are
   * released before returning; only state tensors outlive a step.
   */
  void step(List<ParameterGroup> groups, double[] learningRates);

  /** Number of updates done so far. */
  long stepCount();

  /** Every state tensor by name ({@code <parameter>.exp_avg}, ...): live views, for saving without a copy. */
  Map<String, NDArray> stateTensors();

  /** Every state counter or estimate by name (empty for optimizers whose only counter is the step count). */
  default Map<String, Double> stateScalars() {
    return Map.of();
  }

  /** A copy of the whole state in Java memory. */
  default OptimizerState snapshot() {
    Map<String, StateTensor> tensors = new LinkedHashMap<>();
    stateTensors().forEach((key, array) -> tensors.put(key, StateTensor.of(array)));
    return new OptimizerState(tensors, stateScalars(), stepCount());
  }

  /** Restores state taken by {@link #snapshot()} (or read back from a state save). */
  void restore(OptimizerState state);

  /**
   * Puts the parameters at the point that training steps from. Only schedule-free optimizers move parameters here;
   * the reference calls it after sampling or saving (reference/training.md §4.2).
   */
  default void trainMode() {}

  /**
   * Puts the parameters at the point to evaluate and save. The reference calls it before sampling, before each
   * save and at the end of training, so a schedule-free run saves its averaged weights.
   */
  default void evalMode() {}
}
