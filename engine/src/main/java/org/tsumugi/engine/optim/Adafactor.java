package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * transformers' Adafactor (reference/training.md §4.2). Per parameter and step t:
 *
 * <pre>
 * lr_t = max(eps2, RMS(p)) (if scale_parameter) · (relative_step ? min(warmup_init ? 1e-6·t : 1e-2, 1/√t) : lr)
 * β2_t = 1 − t^decay_rate ;  u = g² + eps1
 * ≥2-D: R ← β2_t·R + (1 − β2_t)·mean_col(u), C ← β2_t·C + (1 − β2_t)·mean_row(u),
 *       u = g / √(R/mean(R)) / √C          (factored second moment)
 * 1-D:  V ← β2_t·V + (1 − β2_t)·u,  u = g / √V
 * u ← u / max(1, RMS(u)/clip_threshold) · lr_t ;  with beta1: m ← β1·m + (1 − β1)·u, u = m
 * p ← p − wd·lr_t·p − u
 * </pre>
 *
 * lr_t is a float32 value where the reference's is a tensor (RMS(p) wins the max), a double otherwise; both reach the
 * update as float32. With relative_step the learning rates passed to {@link #step} are not used.
 */
public final class Adafactor implements Optimizer {

  /** Hyper-parameters; transformers' defaults, with relative_step on as the reference sets it. */
  public record Settings(double eps1, double eps2, double clipThreshold, double decayRate, Double beta1,
      double weightDecay, boolean scaleParameter, boolean relativeStep, boolean warmupInit) {
    public Settings {
      if (warmupInit && !relativeStep) {
        throw new IllegalArgumentException("Adafactor warmup_init=True requires relative_step=True");
      }
    }

    public static Settings defaults() {
      return new Settings(1e-30, 1e-3, 1.0, -0.8, null, 0.0, true, true, false);
    }
  }

  private final Settings settings;
  private final List<ParameterGroup> groups;
  private final StateStore state;
  private final Map<String, Double> rms = new LinkedHashMap<>();
  private long steps;

  public Adafactor(Settings settings, List<ParameterGroup> groups, NDManager stateManager) {
    this.settings = settings;
    this.groups = List.copyOf(groups);
    this.state = new StateStore(stateManager);
  }

  @Override
  public void step(List<ParameterGroup> groups, double[] learningRates) {
    steps++;
    try (NDScope scope = new NDScope()) {
      for (int gi = 0; gi < groups.size(); gi++) {
        for (Parameter p : groups.get(gi).parameters()) {
          update(p, learningRates[gi]);
        }
      }
    }
  }

  private void update(Parameter p, double groupLr) {
    NDArray param = p.value();
    NDArray g = p.gradient();
    float paramRms = rootMeanSquare(param);
    rms.put(p.name(), (double) paramRms);
    double lr = learningRate(groupLr, paramRms);
    double beta2t = 1.0 - Math.pow(steps, settings.decayRate);
    NDArray u = g.mul(g).addi((float) settings.eps1);
    NDArray update = factored(param.getShape())
        ? factoredUpdate(p, u, g, beta2t)
        : plainUpdate(p, u, g, beta2t);
    float clip = Math.max(rootMeanSquare(update) / (float) settings.clipThreshold, 1f);
    update.divi(clip).muli((float) lr);
    if (settings.beta1 != null) {
      NDArray m = moment(p, ".exp_avg", param.getShape());
      m.muli(settings.beta1.floatValue()).addi(update.mul((float) (1 - settings.beta1)));
      update = m;
    }
    if (settings.weightDecay != 0) {
      param.addi(param.mul(decayFactor(lr, paramRms)));
    }
    param.subi(update);
  }

  /**
   * The reference's _get_lr: a float32 tensor product when RMS(p) wins the max (the scalar rounded to float32
   * first), a double otherwise.
   */
  private double learningRate(double groupLr, float paramRms) {
    double relative = groupLr;
    if (settings.relativeStep) {
      double minStep = settings.warmupInit ? 1e-6 * steps : 1e-2;
      relative = Math.min(minStep, 1.0 / Math.sqrt(steps));
    }
    if (!settings.scaleParameter) {
      return relative;
    }
    if (tensorScale(paramRms)) {
      return paramRms * (float) relative;
    }
    return settings.eps2 * relative;
  }

  private boolean tensorScale(float paramRms) {
    return settings.scaleParameter && paramRms > (float) settings.eps2;
  }

  /** −wd·lr_t: a float32 tensor product when lr_t is a tensor, a double rounded once otherwise. */
  private float decayFactor(double lr, float paramRms) {
    if (tensorScale(paramRms)) {
      return (float) lr * -(float) settings.weightDecay;
    }
    return (float) (-settings.weightDecay * lr);
  }

  private NDArray factoredUpdate(Parameter p, NDArray u, NDArray g, double beta2t) {
    long[] shape = p.value().getShape().getShape();
    int rank = shape.length;
    NDArray row = moment(p, ".exp_avg_sq_row", new Shape(Arrays.copyOf(shape, rank - 1)));
    long[] colShape = Arrays.copyOf(shape, rank - 1);
    colShape[rank - 2] = shape[rank - 1];
    NDArray col = moment(p, ".exp_avg_sq_col", new Shape(colShape));
    row.muli((float) beta2t).addi(u.mean(new int[] {-1}).muli((float) (1 - beta2t)));
    col.muli((float) beta2t).addi(u.mean(new int[] {-2}).muli((float) (1 - beta2t)));
    NDArray rowFactor = reciprocalSqrt(row.div(row.mean(new int[] {-1}, true))).expandDims(-1);
    NDArray colFactor = reciprocalSqrt(col).expandDims(-2);
    return rowFactor.mul(colFactor).muli(g);
  }

  private NDArray plainUpdate(Parameter p, NDArray u, NDArray g, double beta2t) {
    NDArray v = moment(p, ".exp_avg_sq", p.value().getShape());
    v.muli((float) beta2t).addi(u.muli((float) (1 - beta2t)));
    return reciprocalSqrt(v).muli(g);
  }

  private static NDArray reciprocalSqrt(NDArray x) {
    return x.sqrt().getNDArrayInternal().rdiv(1f);
  }

  /** ‖x‖₂ / √numel in float32, as the reference's _rms. */
  private static float rootMeanSquare(NDArray x) {
    return x.norm().getFloat() / (float) Math.sqrt(x.size());
  }

  private boolean factored(Shape shape) {
    return shape.dimension() >= 2;
  }

  private NDArray moment(Parameter p, String suffix, Shape shape) {
    String key = p.name() + suffix;
    return state.contains(key) ? state.get(key) : state.zeros(key, shape);
  }

  /**
   * The learning rate the reference's AdafactorSchedule reports for a group: lr_t of the group's first parameter at
   * its last step (before any step, the group's own lr).
   */
  public double reportedLearningRate(ParameterGroup group, double groupLr) {
    Double paramRms = rms.get(group.parameters().get(0).name());
    return paramRms == null ? groupLr : learningRate(groupLr, paramRms.floatValue());
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
    rms.forEach((name, value) -> scalars.put(name + ".RMS", value));
    return scalars;
  }

  @Override
  public void restore(OptimizerState saved) {
    state.restore(saved.tensors());
    steps = saved.steps();
    rms.clear();
    if (steps > 0) {
      List<String> keys = new ArrayList<>();
      for (ParameterGroup g : groups) {
        for (Parameter p : g.parameters()) {
          rms.put(p.name(), saved.scalar(p.name() + ".RMS"));
          keys.addAll(stateKeys(p));
        }
      }
      state.requireAll(keys);
    }
  }

  private List<String> stateKeys(Parameter p) {
    List<String> keys = new ArrayList<>();
    if (settings.beta1 != null) {
      keys.add(p.name() + ".exp_avg");
    }
    if (factored(p.value().getShape())) {
      keys.add(p.name() + ".exp_avg_sq_row");
      keys.add(p.name() + ".exp_avg_sq_col");
    } else {
      keys.add(p.name() + ".exp_avg_sq");
    }
    return keys;
  }
}
