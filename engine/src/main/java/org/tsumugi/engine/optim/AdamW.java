package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

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
public final class AdamW extends PerParameterOptimizer {

  /** Hyper-parameters; torch's defaults are betas (0.9, 0.999), eps 1e-8, weight_decay 0.01. */
  public record Settings(double beta1, double beta2, double eps, double weightDecay) {
    public static Settings defaults() {
      return new Settings(0.9, 0.999, 1e-8, 0.01);
    }
  }

  private final Settings settings;

  /** State tensors are created at the first step, in {@code stateManager}, so that they outlive every step. */
  public AdamW(Settings settings, List<ParameterGroup> groups, NDManager stateManager) {
    super(groups, stateManager);
    this.settings = settings;
  }


  @Override
  List<String> stateSuffixes(Parameter p) {
    return List.of(".exp_avg", ".exp_avg_sq");
  }

  @Override
  void update(Parameter p, double lr, long step) {
    double stepSize = lr / (1 - Math.pow(settings.beta1, step));
    double bc2Sqrt = Math.sqrt(1 - Math.pow(settings.beta2, step));
    NDArray param = p.value();
    NDArray m = stateOf(p, ".exp_avg");
    NDArray v = stateOf(p, ".exp_avg_sq");
    NDArray g = p.gradient();
    if (settings.weightDecay != 0) {
      param.muli((float) (1 - lr * settings.weightDecay));
    }
    Lerp.inPlace(m, g, 1 - settings.beta1);
    v.muli((float) settings.beta2).addi(g.mul((float) (1 - settings.beta2)).muli(g));
    NDArray denom = v.sqrt().divi((float) bc2Sqrt).addi((float) settings.eps);
    param.addi(m.mul((float) -stepSize).divi(denom));
  }





}
