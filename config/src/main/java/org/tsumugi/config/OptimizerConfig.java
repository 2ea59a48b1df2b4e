package org.tsumugi.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Optimizer options (reference/training.md §4.2–4.3).
 *
 * @param optimizerArgs {@code optimizer_args} as key → Python-literal text (e.g. {@code betas → (0.9,0.99)})
 * @param maxGradNorm {@code max_grad_norm}; 0 disables clipping
 */
public record OptimizerConfig(
    OptimizerType optimizerType,
    double learningRate,
    Map<String, String> optimizerArgs,
    double maxGradNorm) {

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
    // Adafactor with relative_step ignores learning_rate, so 0 is meaningful there (reference/training.md §4.2).
    double lr = type == OptimizerType.ADAFACTOR ? r.numberBetween("learning_rate", 0.0, Double.POSITIVE_INFINITY,
        false) : r.numberAbove("learning_rate", 0.0);
    return new OptimizerConfig(type, lr, args,
        r.numberBetween("max_grad_norm", 0.0, Double.POSITIVE_INFINITY, false));
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
    return new OptimizerConfig(OptimizerType.ADAMW, 2.0e-6, Map.of(), 1.0);
  }
}
