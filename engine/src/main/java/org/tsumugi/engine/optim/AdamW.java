package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * torch.optim.AdamW (decoupled weight decay), the reference's default optimizer, with torch's operation order
 * (its single-tensor path, the one torch takes on CPU):
 *
 * <pre>
 * p ← p·(1 − lr·wd)
 * m ← lerp(m, g, 1 − β1)
 * v ← β2·v + ((1 − β2)·g)·g                      (addcmul)
 * p ← p + (−lr / (1 − β1^t))·m / (√v / √(1 − β2^t) + eps)   (addcdiv)
 * </pre>
 */
public final class AdamW implements Optimizer {

  /** Hyper-parameters; torch's defaults are betas (0.9, 0.999), eps 1e-8, weight_decay 0.01. */
  public record Settings(double beta1, double beta2, double eps, double weightDecay) {
    public static Settings defaults() {
      return new Settings(0.9, 0.999, 1e-8, 0.01);
    }
  }

  private final Settings settings;
  private final List<ParameterGroup> groups;
  private final StateStore state;
  private long steps;

  /** State tensors are created at the first step, in {@code stateManager}, so that they outlive every step. */
  public AdamW(Settings settings, List<ParameterGroup> groups, NDManager stateManager) {
    this.settings = settings;
    this.groups = List.copyOf(groups);
    this.state = new StateStore(stateManager);
  }

  @Override
  public void step(List<ParameterGroup> groups, double[] learningRates) {
    steps++;
    double bc1 = 1 - Math.pow(settings.beta1, steps);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(settings.beta2, steps));
    try (NDScope scope = new NDScope()) {
      for (int gi = 0; gi < groups.size(); gi++) {
        double lr = learningRates[gi];
        for (Parameter p : groups.get(gi).parameters()) {
          update(p, lr, lr / bc1, bc2Sqrt);
        }
      }
    }
  }

  private void update(Parameter p, double lr, double stepSize, double bc2Sqrt) {
    NDArray param = p.value();
    NDArray m = moment(p, ".exp_avg");
    NDArray v = moment(p, ".exp_avg_sq");
    NDArray g = p.gradient();
    if (settings.weightDecay != 0) {
      param.muli((float) (1 - lr * settings.weightDecay));
    }
    Lerp.inPlace(m, g, 1 - settings.beta1);
    v.muli((float) settings.beta2).addi(g.mul((float) (1 - settings.beta2)).muli(g));
    NDArray denom = v.sqrt().divi((float) bc2Sqrt).addi((float) settings.eps);
    param.addi(m.mul((float) -stepSize).divi(denom));
  }

  private NDArray moment(Parameter p, String suffix) {
    String key = p.name() + suffix;
    return state.contains(key) ? state.get(key) : state.zeros(key, p.value().getShape());
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
    if (steps > 0) {
      state.requireAll(keys());
    }
  }

  private List<String> keys() {
    List<String> keys = new ArrayList<>();
    for (ParameterGroup g : groups) {
      for (Parameter p : g.parameters()) {
        keys.add(p.name() + ".exp_avg");
        keys.add(p.name() + ".exp_avg_sq");
      }
    }
    return keys;
  }
}
