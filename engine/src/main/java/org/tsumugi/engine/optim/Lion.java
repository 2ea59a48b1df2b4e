package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

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
public final class Lion extends PerParameterOptimizer {

  /** Hyper-parameters; lion-pytorch's defaults are betas (0.9, 0.99), weight_decay 0, not decoupled. */
  public record Settings(double beta1, double beta2, double weightDecay, boolean decoupledWeightDecay) {
    public static Settings defaults() {
      return new Settings(0.9, 0.99, 0.0, false);
    }
  }

  private final Settings settings;
  private final double initialLearningRate;

  /** {@code initialLearningRate} is the lr the reference constructs Lion with ({@code learning_rate}). */
  public Lion(Settings settings, double initialLearningRate, List<ParameterGroup> groups, NDManager stateManager) {
    super(groups, stateManager);
    this.settings = settings;
    this.initialLearningRate = initialLearningRate;
  }


  @Override
  List<String> stateSuffixes(Parameter p) {
    return List.of(".exp_avg");
  }

  @Override
  void update(Parameter p, double lr, long step) {
    double wd = settings.decoupledWeightDecay ? settings.weightDecay / initialLearningRate : settings.weightDecay;
    NDArray param = p.value();
    NDArray m = stateOf(p, ".exp_avg");
    NDArray g = p.gradient();
    param.muli((float) (1 - lr * wd));
    NDArray direction = m.mul((float) settings.beta1).addi(g.mul((float) (1 - settings.beta1))).signi();
    param.addi(direction.muli((float) -lr));
    m.muli((float) settings.beta2).addi(g.mul((float) (1 - settings.beta2)));
  }



}
