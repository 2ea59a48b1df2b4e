package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * schedulefree's AdamWScheduleFree. The parameter holds y (the gradient point) in train mode and x (the average,
 * the weights to evaluate and save) in eval mode; z is state. Per group and step k (0-based):
 *
 * <pre>
 * lr_k = lr·min(1, (k + 1)/warmup_steps) ;  lr_max ← max(lr_max, lr_k)
 * w = (k + 1)^r · lr_max^weight_lr_power ;  W ← W + w ;  c = w/W
 * v ← β2·v + (1 − β2)·g² ;  ĝ = g / (√(v / (1 − β2^(k+1))) + eps)   (inner momentum: EMA of g, bias-corrected)
 * ĝ ← ĝ + wd·y
 * y ← lerp(y, z, c) + lr_k(β1(1 − c) − 1)·ĝ ;  z ← z − lr_k·ĝ
 * </pre>
 *
 * eval: y → x = lerp(y, z, 1 − 1/β1); train: x → y = lerp(x, z, 1 − β1). The reference starts in eval mode and
 * refuses to step there; its trainer switches to train mode before the first step.
 */
public final class AdamWScheduleFree implements Optimizer {

  /** Hyper-parameters; schedulefree's defaults. */
  public record Settings(double beta1, double beta2, double eps, double weightDecay, long warmupSteps, double r,
      double weightLrPower, double innerMomentum) {
    public static Settings defaults() {
      return new Settings(0.9, 0.999, 1e-8, 0.0, 0, 0.0, 2.0, 0.0);
    }
  }

  private final Settings settings;
  private final List<ParameterGroup> groups;
  private final StateStore state;
  private final ScheduleFreeAverage[] averages;
  private boolean trainMode;
  private long steps;

  public AdamWScheduleFree(Settings settings, List<ParameterGroup> groups, NDManager stateManager) {
    this.settings = settings;
    this.groups = List.copyOf(groups);
    this.state = new StateStore(stateManager);
    this.averages = new ScheduleFreeAverage[groups.size()];
    for (int i = 0; i < averages.length; i++) {
      averages[i] = new ScheduleFreeAverage();
    }
  }

  public boolean inTrainMode() {
    return trainMode;
  }

  @Override
  public void step(List<ParameterGroup> groups, double[] learningRates) {
    if (!trainMode) {
      throw new IllegalStateException("AdamWScheduleFree stepped in eval mode; call trainMode() before training"
          + " and evalMode() before sampling or saving");
    }
    steps++;
    try (NDScope scope = new NDScope()) {
      for (int gi = 0; gi < groups.size(); gi++) {
        ScheduleFreeAverage average = averages[gi];
        long k = average.k;
        double lr = average.advance(settings, learningRates[gi]);
        double c = average.lastWeightShare;
        double bc2 = 1 - Math.pow(settings.beta2, k + 1);
        double bc1 = settings.innerMomentum != 0 ? 1 - Math.pow(settings.innerMomentum, k + 1) : 1;
        for (Parameter p : groups.get(gi).parameters()) {
          update(p, lr, c, bc1, bc2);
        }
      }
    }
  }

  private void update(Parameter p, double lr, double c, double bc1, double bc2) {
    NDArray y = p.value();
    initialise(p);
    NDArray z = state.get(p.name() + ".z");
    NDArray v = state.get(p.name() + ".exp_avg_sq");
    NDArray g = p.gradient();
    v.muli((float) settings.beta2).addi(g.mul((float) (1 - settings.beta2)).muli(g));
    NDArray denom = v.div((float) bc2).sqrt().addi((float) settings.eps);
    NDArray normalized;
    if (settings.innerMomentum != 0) {
      NDArray m = state.get(p.name() + ".exp_avg");
      m.muli((float) settings.innerMomentum).addi(g.mul((float) (1 - settings.innerMomentum)));
      normalized = m.div((float) bc1).divi(denom);
    } else {
      normalized = g.div(denom);
    }
    if (settings.weightDecay != 0) {
      normalized.addi(y.mul((float) settings.weightDecay));
    }
    Lerp.inPlace(y, z, c);
    y.addi(normalized.mul((float) (lr * (settings.beta1 * (1 - c) - 1))));
    z.subi(normalized.muli((float) lr));
  }

  private void initialise(Parameter p) {
    String name = p.name();
    if (state.contains(name + ".z")) {
      return;
    }
    state.copyOf(name + ".z", p.value());
    state.zeros(name + ".exp_avg_sq", p.value().getShape());
    if (settings.innerMomentum != 0) {
      state.zeros(name + ".exp_avg", p.value().getShape());
    }
  }

  @Override
  public void trainMode() {
    if (!trainMode) {
      moveParameters(1 - settings.beta1);
      trainMode = true;
    }
  }

  @Override
  public void evalMode() {
    if (trainMode) {
      moveParameters(1 - 1 / settings.beta1);
      trainMode = false;
    }
  }

  private void moveParameters(double weight) {
    try (NDScope scope = new NDScope()) {
      for (ParameterGroup g : groups) {
        for (Parameter p : g.parameters()) {
          String key = p.name() + ".z";
          if (state.contains(key)) {
            Lerp.inPlace(p.value(), state.get(key), weight);
          }
        }
      }
    }
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
  public Map<String, Double> stateScalars() {
    Map<String, Double> scalars = new LinkedHashMap<>();
    scalars.put("train_mode", trainMode ? 1.0 : 0.0);
    for (int i = 0; i < averages.length; i++) {
      averages[i].putScalars("group" + i + ".", scalars);
    }
    return scalars;
  }

  @Override
  public void restore(OptimizerState saved) {
    state.restore(saved.tensors());
    steps = saved.steps();
    trainMode = saved.scalar("train_mode") != 0;
    for (int i = 0; i < averages.length; i++) {
      averages[i].restore("group" + i + ".", saved);
    }
    if (!saved.tensors().isEmpty()) {
      List<String> keys = new ArrayList<>();
      for (ParameterGroup g : groups) {
        for (Parameter p : g.parameters()) {
          keys.add(p.name() + ".z");
          keys.add(p.name() + ".exp_avg_sq");
          if (settings.innerMomentum != 0) {
            keys.add(p.name() + ".exp_avg");
          }
        }
      }
      state.requireAll(keys);
    }
  }
}
