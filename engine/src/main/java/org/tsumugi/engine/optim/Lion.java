package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * lion-pytorch's Lion (the class musubi users load as {@code lion_pytorch.Lion}):
 *
 * <pre>
 * p ← p·(1 − lr·wd)
 * p ← p − lr·sign(β1·m + (1 − β1)·g)
 * m ← β2·m + (1 − β2)·g
 * </pre>
 *
 * With {@code decoupled_weight_decay} the decay is divided by the learning rate the optimizer was built with
 * (the base {@code learning_rate}).
 */
public final class Lion implements Optimizer {

  /** Hyper-parameters; lion-pytorch's defaults are betas (0.9, 0.99), weight_decay 0, not decoupled. */
  public record Settings(double beta1, double beta2, double weightDecay, boolean decoupledWeightDecay) {
    public static Settings defaults() {
      return new Settings(0.9, 0.99, 0.0, false);
    }
  }

  private final Settings settings;
  private final double initialLearningRate;
  private final List<ParameterGroup> groups;
  private final StateStore state;
  private long steps;

  /** {@code initialLearningRate} is the lr the reference constructs Lion with ({@code learning_rate}). */
  public Lion(Settings settings, double initialLearningRate, List<ParameterGroup> groups, NDManager stateManager) {
    this.settings = settings;
    this.initialLearningRate = initialLearningRate;
    this.groups = List.copyOf(groups);
    this.state = new StateStore(stateManager);
  }

  @Override
  public void step(List<ParameterGroup> groups, double[] learningRates) {
    steps++;
    double wd = settings.decoupledWeightDecay ? settings.weightDecay / initialLearningRate : settings.weightDecay;
    try (NDScope scope = new NDScope()) {
      for (int gi = 0; gi < groups.size(); gi++) {
        double lr = learningRates[gi];
        for (Parameter p : groups.get(gi).parameters()) {
          update(p, lr, wd);
        }
      }
    }
  }

  private void update(Parameter p, double lr, double wd) {
    NDArray param = p.value();
    String key = p.name() + ".exp_avg";
    NDArray m = state.contains(key) ? state.get(key) : state.zeros(key, param.getShape());
    NDArray g = p.gradient();
    param.muli((float) (1 - lr * wd));
    NDArray direction = m.mul((float) settings.beta1).addi(g.mul((float) (1 - settings.beta1))).signi();
    param.addi(direction.muli((float) -lr));
    m.muli((float) settings.beta2).addi(g.mul((float) (1 - settings.beta2)));
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
      List<String> keys = new ArrayList<>();
      groups.forEach(g -> g.parameters().forEach(p -> keys.add(p.name() + ".exp_avg")));
      state.requireAll(keys);
    }
  }
}
