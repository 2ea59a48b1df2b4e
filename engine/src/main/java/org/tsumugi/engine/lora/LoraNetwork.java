package org.tsumugi.engine.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.tsumugi.engine.nn.Linear;
import org.tsumugi.engine.nn.LinearCall;
import org.tsumugi.engine.nn.LinearLayer;
import org.tsumugi.engine.nn.ScalarFactor;
import org.tsumugi.engine.optim.Parameter;
import org.tsumugi.engine.optim.ParameterGroup;

/**
 * The LoRA adapters of one model, keyed by the wrapped module's name, in creation order (which is the order of the
 * optimizer's parameters). Its {@link LinearCall}s are how the model runs with the adapters applied.
 */
public final class LoraNetwork {

  private final String networkModule;
  private final Map<String, LoraModule> byModule;
  private final Map<String, Integer> indexOf;

  LoraNetwork(String networkModule, List<LoraModule> modules) {
    if (modules.isEmpty()) {
      throw new IllegalArgumentException("No LoRA modules found: every candidate layer was excluded");
    }
    this.networkModule = networkModule;
    Map<String, LoraModule> map = new LinkedHashMap<>();
    Map<String, Integer> index = new LinkedHashMap<>();
    for (LoraModule m : modules) {
      if (map.put(m.module(), m) != null) {
        throw new IllegalArgumentException("duplicate LoRA module " + m.loraName());
      }
      index.put(m.module(), index.size());
    }
    this.byModule = Collections.unmodifiableMap(map);
    this.indexOf = Collections.unmodifiableMap(index);
  }

  /**
   * Adapters of rank {@code network_dim} and {@code network_alpha} on every selected candidate (reference/lora-and-ema.md
   * §1.2), freshly initialised from {@code seed}.
   */
  public static LoraNetwork create(LoraTargets targets, org.tsumugi.config.NetworkConfig config, NDManager manager,
      long seed) {
    LoraSelection selection = LoraSelection.of(config, targets);
    List<LoraModule> modules = new ArrayList<>();
    for (LinearLayer layer : targets.candidates()) {
      if (selection.selects(layer.module())) {
        modules.add(LoraInit.create(layer, modules.size(), config.networkDim(), (float) config.networkAlpha(), manager,
            seed));
      }
    }
    return new LoraNetwork(targets.networkModule(), modules);
  }

  public String networkModule() {
    return networkModule;
  }

  public List<LoraModule> modules() {
    return List.copyOf(byModule.values());
  }

  /** Inference: no dropouts, {@code org + up(down(x))·multiplier·scale}. */
  public LinearCall inference(float multiplier) {
    return (layer, x) -> {
      NDArray base = Linear.forward(layer, x);
      LoraModule m = byModule.get(layer.module());
      return m == null ? base : base.add(m.delta(x, multiplier));
    };
  }

  /** Training: multiplier 1 and the configured dropouts, drawn from {@code draws}. */
  public LinearCall training(LoraDropout dropout, DropoutDraws draws) {
    if (!dropout.any()) {
      return inference(1f);
    }
    return (layer, x) -> {
      NDArray base = Linear.forward(layer, x);
      LoraModule m = byModule.get(layer.module());
      if (m == null) {
        return base;
      }
      int index = indexOf.get(layer.module());
      OptionalDouble module = dropout.module();
      if (module.isPresent() && draws.uniform(index, DropoutDraws.Kind.MODULE, 1)[0] < module.getAsDouble()) {
        return base;
      }
      return base.add(droppedDelta(m, index, x, dropout, draws));
    };
  }

  private static NDArray droppedDelta(LoraModule m, int index, NDArray x, LoraDropout dropout, DropoutDraws draws) {
    NDArray h = Linear.project(x, m.down()); // [B, ..., r]
    if (dropout.neuron().isPresent()) {
      double p = dropout.neuron().getAsDouble();
      h = h.mul(keepMask(x.getManager(), draws.uniform(index, DropoutDraws.Kind.NEURON, (int) h.size()), p,
          h.getShape()));
    }
    float scale = m.scale();
    if (dropout.rank().isPresent()) {
      double p = dropout.rank().getAsDouble();
      long batch = h.getShape().get(0);
      long[] maskShape = new long[h.getShape().dimension()]; // [B, 1, ..., 1, r]
      java.util.Arrays.fill(maskShape, 1);
      maskShape[0] = batch;
      maskShape[maskShape.length - 1] = m.rank();
      float[] u = draws.uniform(index, DropoutDraws.Kind.RANK, (int) (batch * m.rank()));
      float[] mask = new float[u.length];
      for (int i = 0; i < u.length; i++) {
        mask[i] = u[i] > p ? 1f : 0f;
      }
      h = h.mul(x.getManager().create(mask, new Shape(maskShape)));
      scale = (float) (scale * (1.0 / (1.0 - p)));
    }
    return Linear.project(ScalarFactor.mul(h, scale), m.up());
  }

  /** Inverted dropout: keep with probability 1−p and scale the kept units by 1/(1−p). */
  private static NDArray keepMask(NDManager manager, float[] u, double p, Shape shape) {
    float keep = (float) (1.0 / (1.0 - p));
    float[] mask = new float[u.length];
    for (int i = 0; i < u.length; i++) {
      mask[i] = u[i] >= p ? keep : 0f;
    }
    return manager.create(mask, shape);
  }

  /** Every trainable tensor in the reference's order: per module, down then up. */
  public List<Parameter> parameters() {
    List<Parameter> params = new ArrayList<>();
    for (LoraModule m : byModule.values()) {
      params.add(new Parameter(m.downKey(), m.down()));
      params.add(new Parameter(m.upKey(), m.up()));
    }
    return params;
  }

  /**
   * Optimizer groups (reference/lora-and-ema.md §1.6): one group "unet" at {@code learningRate}, or with LoRA+ the
   * downs at {@code learningRate} and the ups ("unet plus") at {@code learningRate × ratio}. Empty groups and groups
   * whose rate is 0 are dropped.
   */
  public List<ParameterGroup> parameterGroups(double learningRate, OptionalDouble loraplusRatio) {
    List<ParameterGroup> groups = new ArrayList<>();
    if (loraplusRatio.isEmpty()) {
      groups.add(new ParameterGroup("unet", learningRate, parameters()));
    } else {
      List<Parameter> downs = new ArrayList<>();
      List<Parameter> ups = new ArrayList<>();
      for (Parameter p : parameters()) {
        (p.name().contains("lora_up") ? ups : downs).add(p);
      }
      groups.add(new ParameterGroup("unet", learningRate, downs));
      groups.add(new ParameterGroup("unet plus", learningRate * loraplusRatio.getAsDouble(), ups));
    }
    groups.removeIf(g -> g.parameters().isEmpty() || g.learningRate() == 0.0);
    return groups;
  }

  /** Candidate layers that have an adapter, for callers that need the layer shapes. */
  public boolean wraps(LinearLayer layer) {
    return byModule.containsKey(layer.module());
  }
}
