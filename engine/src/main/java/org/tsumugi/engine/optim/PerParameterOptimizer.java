package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An optimizer whose update of each parameter depends only on that parameter, its gradient and its own state
 * (AdamW, AdamW8bit, Lion, SGD). It owns the step counter and the state store; each update runs in a scope that
 * closes its temporaries.
 */
abstract class PerParameterOptimizer implements Optimizer {

  final StateStore state;
  private final List<ParameterGroup> groups;
  private long steps;

  PerParameterOptimizer(List<ParameterGroup> groups, NDManager stateManager) {
    this.groups = List.copyOf(groups);
    this.state = new StateStore(stateManager);
  }

  /** Updates one parameter in place at update number {@code step} (1-based) with learning rate {@code lr}. */
  abstract void update(Parameter p, double lr, long step);

  /** The state a parameter holds once it has been updated; a restored state must have all of it. */
  abstract List<String> stateSuffixes(Parameter p);

  @Override
  public final void step(List<ParameterGroup> groups, double[] learningRates) {
    steps++;
    try (NDScope scope = new NDScope()) {
      for (int gi = 0; gi < groups.size(); gi++) {
        for (Parameter p : groups.get(gi).parameters()) {
          update(p, learningRates[gi], steps);
        }
      }
    }
  }

  /** The parameter's state tensor {@code <name><suffix>}, created as zeros at its first use. */
  NDArray stateOf(Parameter p, String suffix, Shape shape, DataType type) {
    String key = p.name() + suffix;
    return state.contains(key) ? state.get(key) : state.zeros(key, shape, type);
  }

  NDArray stateOf(Parameter p, String suffix) {
    return stateOf(p, suffix, p.value().getShape(), DataType.FLOAT32);
  }

  @Override
  public final long stepCount() {
    return steps;
  }

  @Override
  public final Map<String, NDArray> stateTensors() {
    return state.view();
  }

  @Override
  public final void restore(OptimizerState saved) {
    state.restore(saved.tensors());
    steps = saved.steps();
    if (steps > 0) {
      List<String> keys = new ArrayList<>();
      for (ParameterGroup g : groups) {
        for (Parameter p : g.parameters()) {
          stateSuffixes(p).forEach(suffix -> keys.add(p.name() + suffix));
        }
      }
      state.requireAll(keys);
    }
  }
}
