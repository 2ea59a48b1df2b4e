package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients. All of its state is plain named tensors and counters so that a state
 * save captures it completely and a resume continues bit-exactly.
 */
public interface Optimizer {

  /** One update with each group's current learning rate (the schedule has already been applied). */
  void step(List<ParameterGroup> groups, double[] learningRates);

  /** Number of updates done so far. */
  long stepCount();

  /** Every state tensor by name ({@code <parameter>.exp_avg}, ...), for saving. */
  Map<String, NDArray> stateTensors();

  /** Restores state saved by {@link #stateTensors()} and the step count. */
  void restore(Map<String, float[]> tensors, long stepCount);
}
