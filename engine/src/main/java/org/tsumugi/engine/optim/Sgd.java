package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

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
public final class Sgd extends PerParameterOptimizer {

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

  public Sgd(Settings settings, List<ParameterGroup> groups, NDManager stateManager) {
    super(groups, stateManager);
    this.settings = settings;
  }


  @Override
  List<String> stateSuffixes(Parameter p) {
    return settings.momentum != 0 ? List.of(".momentum_buffer") : List.of();
  }

  @Override
  void update(Parameter p, double lr, long step) {
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



}
