package org.tsumugi.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Optimizer options (reference/training.md §4.2–4.3) and the max-norm regularisation applied after each update
 * (§4.5).
 *
 * @param optimizerArgs {@code optimizer_args} as key → Python-literal text (e.g. {@code betas → (0.9,0.99)})
 * @param maxGradNorm {@code max_grad_norm}; 0 disables clipping
 * @param scaleWeightNorms {@code scale_weight_norms}, the maximum Frobenius norm of each adapter's ΔW; empty = off
 *     (unset, or 0 as the reference treats it)
 */
public record OptimizerConfig(
    OptimizerType optimizerType,
    double learningRate,
    Map<String, String> optimizerArgs,
    double maxGradNorm,
    OptionalDouble scaleWeightNorms) {

  /** The options without max-norm regularisation. */
  public OptimizerConfig(OptimizerType optimizerType, double learningRate, Map<String, String> optimizerArgs,
      double maxGradNorm) {
    this(optimizerType, learningRate, optimizerArgs, maxGradNorm, OptionalDouble.empty());
  }

  /** Whether the optimizer keeps an averaged point and the reference swaps in a constant ("dummy") schedule. */
  public boolean scheduleFree() {
    return optimizerType == OptimizerType.ADAMW_SCHEDULE_FREE;
  }

  /** optimizer_args as values (already checked when the config was loaded). */
  public Map<String, PythonLiteral> optimizerKwargs() {
    Map<String, PythonLiteral> kwargs = new LinkedHashMap<>();
    optimizerArgs.forEach((k, v) -> kwargs.put(k, PythonLiteral.parse(v, new KeyLocation("optimizer_args." + k,
        "optimizer_args"))));
    return kwargs;
  }

  /**
   * Adafactor's relative_step as the reference resolves it (reference/training.md §4.2): True unless given False,
   * and forced True by warmup_init=True. Then Adafactor sets its own learning rate and schedule.
   */
  public boolean adafactorRelativeStep() {
    if (optimizerType != OptimizerType.ADAFACTOR) {
      return false;
    }
    Map<String, PythonLiteral> kwargs = optimizerKwargs();
    PythonLiteral relative = kwargs.getOrDefault("relative_step", new PythonLiteral.PyBool(true));
    PythonLiteral warmupInit = kwargs.getOrDefault("warmup_init", new PythonLiteral.PyBool(false));
    return !relative.equals(new PythonLiteral.PyBool(false)) || warmupInit.equals(new PythonLiteral.PyBool(true));
  }

  static OptimizerConfig read(OptionReader r) {
    OptimizerType type = optimizerType(r);
    Map<String, String> args = r.attempt(() -> KeyValueArgs.parseLiterals(r.strings("optimizer_args"),
        r.at("optimizer_args"))).orElse(Map.of());
    // Even Adafactor with relative_step needs it > 0: the reference drops parameter groups whose lr is 0 and then fails
    // on an empty parameter list (reference/training.md §4.1); relative_step only reports it before the first step.
    double lr = r.numberAbove("learning_rate", 0.0);
    OptionalDouble maxNorm = r.optionalNumberBetween("scale_weight_norms", 0.0, Double.POSITIVE_INFINITY, false);
    return new OptimizerConfig(type, lr, args,
        r.numberBetween("max_grad_norm", 0.0, Double.POSITIVE_INFINITY, false),
        maxNorm.isPresent() && maxNorm.getAsDouble() > 0 ? maxNorm : OptionalDouble.empty());
  }

  /**
   * Case-insensitive like the reference; a dotted class path (torch.optim.AdamW, schedulefree.AdamWScheduleFree) is
   * matched by its class name; the reference's crashing default "" means AdamW.
   */
  private static OptimizerType optimizerType(OptionReader r) {
    String given = r.text("optimizer_type").trim();
    String name = given.substring(given.lastIndexOf('.') + 1);
    if (name.isEmpty()) {
      return OptimizerType.ADAMW;
    }
    for (OptimizerType type : OptimizerType.values()) {
      if (type.optionName().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return type;
      }
    }
    java.util.List<String> names = java.util.Arrays.stream(OptimizerType.values()).map(OptimizerType::optionName)
        .toList();
    r.report(r.at("optimizer_type"), "unknown optimizer_type [" + given + "]. Select one of " + names
        + NearestName.hint(names, name));
    return OptimizerType.ADAMW;
  }

  public static OptimizerConfig defaults() {
    return new OptimizerConfig(OptimizerType.ADAMW, 2.0e-6, Map.of(), 1.0, OptionalDouble.empty());
  }
}
