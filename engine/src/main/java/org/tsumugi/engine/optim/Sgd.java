package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * torch.optim.SGD (single-tensor path):
 *
 * <pre>
 * d ← g + wd·p                                   (when wd ≠ 0)
 * b ← d at the first step, else μ·b + (1 − dampening)·d   (when μ ≠ 0)
 * d ← d + μ·b (Nesterov) or b
 * p ← p − lr·d
 * </pre>
 */
public final class Sgd implements Optimizer {

  /** Hyper-parameters; torch's defaults are momentum 0, dampening 0, weight_decay 0, nesterov off. */
  public record Settings(double momentum, double dampening, double weightDecay, boolean nesterov) {
    public Settings {
      if (nesterov && (momentum <= 0 || dampening != 0)) {
        throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening, got momentum "
            + momentum + ", dampening " + dampening);
      }
    }

    public static Settings defaults() {
      return new Settings(0, 0, 0, false);
    }
  }

  private final Settings settings;
  private final List<ParameterGroup> groups;
  private final StateStore state;
  private long steps;

  public Sgd(Settings settings, List<ParameterGroup> groups, NDManager stateManager) {
    this.settings = settings;
    this.groups = List.copyOf(groups);
    this.state = new StateStore(stateManager);
  }

  @Override
  public void step(List<ParameterGroup> groups, double[] learningRates) {
    steps++;
    try (NDScope scope = new NDScope()) {
      for (int gi = 0; gi < groups.size(); gi++) {
        double lr = learningRates[gi];
        for (Parameter p : groups.get(gi).parameters()) {
          update(p, lr);
        }
      }
    }
  }

  private void update(Parameter p, double lr) {
    NDArray param = p.value();
    NDArray d = p.gradient();
    if (settings.weightDecay != 0) {
      d = d.add(param.mul((float) settings.weightDecay));
    }
    if (settings.momentum != 0) {
      String key = p.name() + ".momentum_buffer";
      NDArray buffer;
      if (state.contains(key)) {
        buffer = state.get(key).muli((float) settings.momentum)
            .addi(d.mul((float) (1 - settings.dampening)));
      } else {
        buffer = state.copyOf(key, d);
      }
      d = settings.nesterov ? d.add(buffer.mul((float) settings.momentum)) : buffer;
    }
    param.addi(d.mul((float) -lr));
  }

  @Override
  public long stepCount() {
    return steps;
  }

  @Override
  public Map<String, NDArray> stateTensors() {
    return state.view();
  }

  @Override
  public void restore(OptimizerState saved) {
    state.restore(saved.tensors());
    steps = saved.steps();
    if (steps > 0 && settings.momentum != 0) {
      List<String> keys = new ArrayList<>();
      groups.forEach(g -> g.parameters().forEach(p -> keys.add(p.name() + ".momentum_buffer")));
      state.requireAll(keys);
    }
  }
}
