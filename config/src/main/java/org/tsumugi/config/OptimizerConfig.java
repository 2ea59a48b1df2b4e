package org.tsumugi.config;

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

  public static OptimizerConfig defaults() {
    return new OptimizerConfig(OptimizerType.ADAMW, 2.0e-6, Map.of(), 1.0);
  }
}
