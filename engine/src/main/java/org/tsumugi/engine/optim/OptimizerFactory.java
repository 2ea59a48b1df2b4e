package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDManager;
import org.tsumugi.config.PythonLiteral;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.tsumugi.config.OptimizerConfig;
import org.tsumugi.config.OptimizerType;

/**
 * Builds the optimizer of {@code optimizer_type} from {@code optimizer_args} with each reference class's defaults
 * (reference/training.md §4.2), and names it for the {@code ss_optimizer} metadata.
 */
public final class OptimizerFactory {
  private static final PythonLiteral FALSE = new PythonLiteral.PyBool(false);
  private static final PythonLiteral NONE = new PythonLiteral.PyNone();

  private OptimizerFactory() {}

  /** The optimizer for {@code groups}; its state lives in {@code stateManager}. */
  public static Optimizer create(OptimizerConfig config, List<ParameterGroup> groups, NDManager stateManager) {
    OptimizerArgs args = arguments(config);
    return switch (config.optimizerType()) {
      case ADAMW -> new AdamW(adamW(args), groups, stateManager);
      case ADAMW8BIT -> new AdamW8bit(adamW8bit(args), groups, stateManager);
      case ADAFACTOR -> new Adafactor(adafactor(args), groups, stateManager);
      case LION -> new Lion(lion(args, config.learningRate()), config.learningRate(), groups, stateManager);
      case PRODIGY -> new Prodigy(prodigy(args, config.learningRate()), groups, stateManager);
      case SGD -> new Sgd(sgd(args), groups, stateManager);
      case ADAMW_SCHEDULE_FREE -> new AdamWScheduleFree(scheduleFree(args), groups, stateManager);
    };
  }

  /**
   * The {@code ss_optimizer} metadata: the reference class's module and name, then {@code (k=v,...)} with every
   * argument as Python prints it (omitted when there are none), e.g.
   * {@code torch.optim.adamw.AdamW(weight_decay=0.1,betas=(0.9, 0.99))}.
   */
  public static String ssOptimizer(OptimizerConfig config) {
    Map<String, PythonLiteral> values = arguments(config).values();
    String args = values.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue().str())
        .collect(Collectors.joining(","));
    return className(config.optimizerType()) + (args.isEmpty() ? "" : "(" + args + ")");
  }

  /** Whether the optimizer sets its own step size, so that the reference replaces the LR scheduler. */
  public static boolean usesRelativeStep(OptimizerConfig config) {
    return config.optimizerType() == OptimizerType.ADAFACTOR && arguments(config).flag("relative_step", true);
  }

  static String className(OptimizerType type) {
    return switch (type) {
      case ADAMW -> "torch.optim.adamw.AdamW";
      case ADAMW8BIT -> "bitsandbytes.optim.adamw.AdamW8bit";
      case ADAFACTOR -> "transformers.optimization.Adafactor";
      case LION -> "lion_pytorch.lion_pytorch.Lion";
      case PRODIGY -> "prodigyopt.prodigy.Prodigy";
      case SGD -> "torch.optim.sgd.SGD";
      case ADAMW_SCHEDULE_FREE -> "schedulefree.adamw_schedulefree.AdamWScheduleFree";
    };
  }

  /** The arguments as the reference passes them: Adafactor gets relative_step=True unless given. */
  private static OptimizerArgs arguments(OptimizerConfig config) {
    OptimizerType type = config.optimizerType();
    OptimizerArgs args = new OptimizerArgs(type.optionName(), config.optimizerArgs(), validNames(type));
    if (type == OptimizerType.ADAFACTOR) {
      if (!args.has("relative_step")) {
        args.put("relative_step", new PythonLiteral.PyBool(true));
      }
      if (!args.flag("relative_step", true) && args.flag("warmup_init", false)) {
        args.put("relative_step", new PythonLiteral.PyBool(true));
      }
    }
    return args;
  }

  static List<String> validNames(OptimizerType type) {
    return switch (type) {
      case ADAMW -> List.of("betas", "eps", "weight_decay", "amsgrad", "maximize", "foreach", "capturable",
          "differentiable", "fused");
      case ADAMW8BIT -> List.of("betas", "eps", "weight_decay", "amsgrad", "optim_bits", "args", "min_8bit_size",
          "is_paged");
      case ADAFACTOR -> List.of("eps", "clip_threshold", "decay_rate", "beta1", "weight_decay", "scale_parameter",
          "relative_step", "warmup_init");
      case LION -> List.of("betas", "weight_decay", "use_triton", "decoupled_weight_decay");
      case PRODIGY -> List.of("betas", "beta3", "eps", "weight_decay", "decouple", "use_bias_correction",
          "safeguard_warmup", "d0", "d_coef", "growth_rate", "fsdp_in_use", "slice_p");
      case SGD -> List.of("momentum", "dampening", "weight_decay", "nesterov", "maximize", "foreach",
          "differentiable", "fused");
      case ADAMW_SCHEDULE_FREE -> List.of("betas", "eps", "weight_decay", "warmup_steps", "r", "weight_lr_power",
          "inner_momentum", "foreach");
    };
  }

  private static AdamW.Settings adamW(OptimizerArgs a) {
    a.refuseUnless("amsgrad", FALSE, "AMSGrad is not implemented");
    a.refuseUnless("maximize", FALSE, "training minimises the loss");
    double[] betas = a.pair("betas", 0.9, 0.999);
    return new AdamW.Settings(betas[0], betas[1], a.number("eps", 1e-8), a.number("weight_decay", 0.01));
  }

  private static AdamW8bit.Settings adamW8bit(OptimizerArgs a) {
    a.refuseUnless("amsgrad", FALSE, "bitsandbytes AdamW8bit does not support amsgrad");
    a.refuseUnless("optim_bits", new PythonLiteral.PyInt(32), "AdamW8bit always keeps 8-bit state");
    a.refuseUnless("args", NONE, "an args object cannot be given as a literal");
    double[] betas = a.pair("betas", 0.9, 0.999);
    return new AdamW8bit.Settings(betas[0], betas[1], a.number("eps", 1e-8), a.number("weight_decay", 0.01),
        a.integer("min_8bit_size", 4096));
  }

  private static Adafactor.Settings adafactor(OptimizerArgs a) {
    double[] eps = a.pair("eps", 1e-30, 1e-3);
    return new Adafactor.Settings(eps[0], eps[1], a.number("clip_threshold", 1.0), a.number("decay_rate", -0.8),
        a.numberOrNone("beta1", null), a.number("weight_decay", 0.0), a.flag("scale_parameter", true),
        a.flag("relative_step", true), a.flag("warmup_init", false));
  }

  private static Lion.Settings lion(OptimizerArgs a, double learningRate) {
    double[] betas = a.pair("betas", 0.9, 0.99);
    a.check(learningRate > 0, "learning_rate", "must be > 0");
    a.check(betas[0] >= 0 && betas[0] <= 1 && betas[1] >= 0 && betas[1] <= 1, "betas", "must lie in [0, 1]");
    a.flag("use_triton", false);
    return new Lion.Settings(betas[0], betas[1], a.number("weight_decay", 0.0),
        a.flag("decoupled_weight_decay", false));
  }

  private static Prodigy.Settings prodigy(OptimizerArgs a, double learningRate) {
    a.refuseUnless("fsdp_in_use", FALSE, "sharded parameters are not used");
    double[] betas = a.pair("betas", 0.9, 0.999);
    Prodigy.Settings s = new Prodigy.Settings(betas[0], betas[1], a.numberOrNone("beta3", null),
        a.number("eps", 1e-8), a.number("weight_decay", 0.0), a.flag("decouple", true),
        a.flag("use_bias_correction", false), a.flag("safeguard_warmup", false), a.number("d0", 1e-6),
        a.number("d_coef", 1.0), a.number("growth_rate", Double.POSITIVE_INFINITY), (int) a.integer("slice_p", 1));
    a.check(s.d0() > 0, "d0", "must be > 0");
    a.check(learningRate > 0, "learning_rate", "must be > 0");
    a.check(s.eps() > 0, "eps", "must be > 0");
    a.check(s.beta1() >= 0 && s.beta1() < 1 && s.beta2() >= 0 && s.beta2() < 1, "betas", "must lie in [0, 1)");
    a.check(s.sliceP() >= 1, "slice_p", "must be >= 1");
    return s;
  }

  private static Sgd.Settings sgd(OptimizerArgs a) {
    a.refuseUnless("maximize", FALSE, "training minimises the loss");
    double momentum = a.number("momentum", 0);
    double dampening = a.number("dampening", 0);
    boolean nesterov = a.flag("nesterov", false);
    a.check(momentum >= 0, "momentum", "must be >= 0");
    a.check(!nesterov || (momentum > 0 && dampening == 0), "nesterov",
        "requires momentum > 0 and dampening 0");
    return new Sgd.Settings(momentum, dampening, a.number("weight_decay", 0), nesterov);
  }

  private static AdamWScheduleFree.Settings scheduleFree(OptimizerArgs a) {
    double[] betas = a.pair("betas", 0.9, 0.999);
    return new AdamWScheduleFree.Settings(betas[0], betas[1], a.number("eps", 1e-8), a.number("weight_decay", 0),
        a.integer("warmup_steps", 0), a.number("r", 0.0), a.number("weight_lr_power", 2.0),
        a.number("inner_momentum", 0.0));
  }
}
