package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * torch.optim.AdamW (decoupled weight decay), the reference's default optimizer, with torch's operation order:
 *
 * <pre>
 * p ← p·(1 − lr·wd)
 * m ← m + (1 − β1)(g − m)          (lerp)
 * v ← β2·v + (1 − β2)·g²
 * p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + eps)
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
  private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
  private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
  private long steps;

  /** State tensors are created now, in {@code stateManager}, so that they outlive every step scope. */
  public AdamW(Settings settings, List<ParameterGroup> groups, NDManager stateManager) {
    this.settings = settings;
    for (ParameterGroup g : groups) {
      for (Parameter p : g.parameters()) {
        expAvg.put(p.name(), stateManager.zeros(p.value().getShape()));
        expAvgSq.put(p.name(), stateManager.zeros(p.value().getShape()));
      }
    }
  }

  @Override
  public void step(List<ParameterGroup> groups, double[] learningRates) {
    steps++;
    double bc1 = 1 - Math.pow(settings.beta1, steps);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(settings.beta2, steps));
    for (int gi = 0; gi < groups.size(); gi++) {
      double lr = learningRates[gi];
      for (Parameter p : groups.get(gi).parameters()) {
        update(p, lr, lr / bc1, bc2Sqrt);
      }
    }
  }

  private void update(Parameter p, double lr, double stepSize, double bc2Sqrt) {
    NDArray param = p.value();
    NDArray m = expAvg.get(p.name());
    NDArray v = expAvgSq.get(p.name());
    try (NDArray g = p.gradient(); NDArray diff = g.sub(m); NDArray g2 = g.mul(g)) {
      param.muli((float) (1 - lr * settings.weightDecay));
      m.addi(diff.muli((float) (1 - settings.beta1)));
      v.muli((float) settings.beta2).addi(g2.muli((float) (1 - settings.beta2)));
    }
    try (NDArray denom = v.sqrt()) {
      denom.divi((float) bc2Sqrt).addi((float) settings.eps);
      try (NDArray update = m.div(denom)) {
        param.subi(update.muli((float) stepSize));
      }
    }
  }

  @Override
  public long stepCount() {
    return steps;
  }

  @Override
  public Map<String, NDArray> stateTensors() {
    Map<String, NDArray> state = new LinkedHashMap<>();
    expAvg.forEach((k, v) -> state.put(k + ".exp_avg", v));
    expAvgSq.forEach((k, v) -> state.put(k + ".exp_avg_sq", v));
    return state;
  }

  @Override
  public void restore(Map<String, float[]> tensors, long stepCount) {
    expAvg.forEach((k, v) -> v.set(require(tensors, k + ".exp_avg")));
    expAvgSq.forEach((k, v) -> v.set(require(tensors, k + ".exp_avg_sq")));
    this.steps = stepCount;
  }

  private static float[] require(Map<String, float[]> tensors, String key) {
    float[] values = tensors.get(key);
    if (values == null) {
      throw new IllegalArgumentException("optimizer state has no tensor " + key);
    }
    return values;
  }
}
