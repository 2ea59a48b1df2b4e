package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * prodigyopt's Prodigy (1.1.x): Adam whose step size d·lr is estimated on the fly. Per step, with d the current
 * estimate, lr the largest group lr and dlr = d·lr·bias_correction:
 *
 * <pre>
 * num ← β3·num + Σ (d/d0)·dlr·⟨g, p0 − p⟩           s ← β3·s + (d/d0)·dlr·g   (d/d0·d with safeguard_warmup)
 * m ← β1·m + d(1 − β1)·g      v ← β2·v + d²(1 − β2)·g²
 * d̂ = d_coef·num / Σ|s|;  d ← max(d, d̂) while d = d0;  d_max ← max(d_max, d̂);  d ← min(d_max, d·growth_rate)
 * p ← p − wd·dlr·p (decoupled) ;  p ← p − dlr·m / (√v + d·eps)
 * </pre>
 *
 * p0 is the parameter at its first step (a scalar 0 when it was all zeros, as the reference stores it); s and p0 hold
 * every slice_p-th element. If Σ|s| is 0 the step ends after the moment updates, as the reference's does.
 */
public final class Prodigy implements Optimizer {

  /** Hyper-parameters; prodigyopt's defaults (beta3 null = √β2). */
  public record Settings(double beta1, double beta2, Double beta3, double eps, double weightDecay, boolean decouple,
      boolean useBiasCorrection, boolean safeguardWarmup, double d0, double dCoef, double growthRate, int sliceP) {
    public static Settings defaults() {
      return new Settings(0.9, 0.999, null, 1e-8, 0.0, true, false, false, 1e-6, 1.0, Double.POSITIVE_INFINITY, 1);
    }

    double beta3OrDefault() {
      return beta3 != null ? beta3 : Math.sqrt(beta2);
    }
  }

  private final Settings settings;
  private final List<ParameterGroup> groups;
  private final StateStore state;
  private final ProdigyEstimate estimate;
  private long steps;

  public Prodigy(Settings settings, List<ParameterGroup> groups, NDManager stateManager) {
    this.settings = settings;
    this.groups = List.copyOf(groups);
    this.state = new StateStore(stateManager);
    this.estimate = new ProdigyEstimate(settings.d0);
  }

  /** The current step-size estimate d (logged as lr/d*lr = d·lr). */
  public double d() {
    return estimate.d;
  }

  @Override
  public void step(List<ParameterGroup> groups, double[] learningRates) {
    steps++;
    double lr = maxLearningRate(groups, learningRates);
    double dlr = estimate.d * lr * biasCorrection();
    try (NDScope scope = new NDScope()) {
      Map<String, NDArray> gradients = new LinkedHashMap<>();
      double deltaNumerator = 0;
      double dDenominator = 0;
      for (int gi = 0; gi < groups.size(); gi++) {
        for (Parameter p : groups.get(gi).parameters()) {
          NDArray g = decayedGradient(p);
          gradients.put(p.name(), g);
          initialise(p);
          if (learningRates[gi] > 0) {
            deltaNumerator += accumulate(p, g, dlr);
            dDenominator += state.get(p.name() + ".s").abs().sum().getFloat();
          }
        }
      }
      if (dDenominator == 0) {
        return;
      }
      estimate.update(settings, lr, deltaNumerator, dDenominator);
      for (ParameterGroup group : groups) {
        for (Parameter p : group.parameters()) {
          apply(p, gradients.get(p.name()), dlr);
        }
      }
      estimate.k++;
    }
  }

  private double maxLearningRate(List<ParameterGroup> groups, double[] learningRates) {
    double lr = 0;
    for (int gi = 0; gi < groups.size(); gi++) {
      lr = Math.max(lr, learningRates[gi]);
    }
    for (int gi = 0; gi < groups.size(); gi++) {
      if (learningRates[gi] != lr && learningRates[gi] != 0) {
        throw new IllegalArgumentException("Prodigy takes one learning rate for all parameter groups (or 0), got "
            + learningRates[gi] + " for group " + groups.get(gi).description() + " and " + lr + " elsewhere;"
            + " loraplus_lr_ratio cannot be used with Prodigy");
      }
    }
    return lr;
  }

  private double biasCorrection() {
    if (!settings.useBiasCorrection) {
      return 1;
    }
    long t = estimate.k + 1;
    return Math.pow(1 - Math.pow(settings.beta2, t), 0.5) / (1 - Math.pow(settings.beta1, t));
  }

  /** g, or g + wd·p for coupled weight decay (the reference adds it into the gradient). */
  private NDArray decayedGradient(Parameter p) {
    NDArray g = p.gradient();
    if (settings.weightDecay != 0 && !settings.decouple) {
      return g.add(p.value().mul((float) settings.weightDecay));
    }
    return g;
  }

  private void initialise(Parameter p) {
    String name = p.name();
    if (state.contains(name + ".exp_avg_sq")) {
      return;
    }
    NDArray sliced = sliced(p.value());
    state.zeros(name + ".s", sliced.getShape());
    if (p.value().any().getBoolean()) {
      state.copyOf(name + ".p0", sliced);
    } else {
      state.zeros(name + ".p0", new Shape());
    }
    if (settings.beta1 > 0) {
      state.zeros(name + ".exp_avg", p.value().getShape());
    }
    state.zeros(name + ".exp_avg_sq", p.value().getShape());
  }

  /** Moment and s updates; returns this parameter's share of the numerator. */
  private double accumulate(Parameter p, NDArray g, double dlr) {
    String name = p.name();
    double d = estimate.d;
    NDArray slicedGrad = sliced(g);
    double dot = slicedGrad.dot(state.get(name + ".p0").sub(sliced(p.value()))).getFloat();
    double share = (d / settings.d0) * dlr * dot;
    if (settings.beta1 > 0) {
      state.get(name + ".exp_avg").muli((float) settings.beta1).addi(g.mul((float) (d * (1 - settings.beta1))));
    }
    state.get(name + ".exp_avg_sq").muli((float) settings.beta2)
        .addi(g.mul((float) (d * d * (1 - settings.beta2))).muli(g));
    double alpha = settings.safeguardWarmup ? (d / settings.d0) * d : (d / settings.d0) * dlr;
    state.get(name + ".s").muli((float) settings.beta3OrDefault()).addi(slicedGrad.mul((float) alpha));
    return share;
  }

  private void apply(Parameter p, NDArray g, double dlr) {
    NDArray param = p.value();
    double d = estimate.d;
    NDArray denom = state.get(p.name() + ".exp_avg_sq").sqrt().addi((float) (d * settings.eps));
    if (settings.weightDecay != 0 && settings.decouple) {
      param.addi(param.mul((float) (-settings.weightDecay * dlr)));
    }
    if (settings.beta1 > 0) {
      param.addi(state.get(p.name() + ".exp_avg").mul((float) -dlr).divi(denom));
    } else {
      param.addi(g.mul((float) (-dlr * d)).divi(denom));
    }
  }

  private NDArray sliced(NDArray x) {
    NDArray flat = x.reshape(-1);
    return settings.sliceP == 1 ? flat : flat.get(new NDIndex("::" + settings.sliceP));
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
    return estimate.scalars();
  }

  @Override
  public void restore(OptimizerState saved) {
    state.restore(saved.tensors());
    steps = saved.steps();
    estimate.restore(saved);
    if (!saved.tensors().isEmpty()) {
      List<String> keys = new ArrayList<>();
      for (ParameterGroup g : groups) {
        for (Parameter p : g.parameters()) {
          keys.add(p.name() + ".s");
          keys.add(p.name() + ".p0");
          keys.add(p.name() + ".exp_avg_sq");
          if (settings.beta1 > 0) {
            keys.add(p.name() + ".exp_avg");
          }
        }
      }
      state.requireAll(keys);
    }
  }
}
