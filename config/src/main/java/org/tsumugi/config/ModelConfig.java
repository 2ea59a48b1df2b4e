package org.tsumugi.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The DiT and how it is held in memory (reference/training.md §8).
 *
 * @param dit {@code dit}: the DiT checkpoint
 * @param blocksToSwap {@code blocks_to_swap}; the reference's None is 0 (no swap)
 * @param mixedPrecision {@code mixed_precision}; empty when not given (the reference then requires it for Wan)
 * @param baseWeights {@code base_weights}: LoRA files merged into the DiT before training
 * @param baseWeightsMultiplier {@code base_weights_multiplier}; a missing entry means 1.0
 */
public record ModelConfig(
    Path dit,
    WanTask task,
    boolean fp8Base,
    boolean fp8Scaled,
    int blocksToSwap,
    boolean gradientCheckpointing,
    Optional<MixedPrecision> mixedPrecision,
    List<Path> baseWeights,
    List<Double> baseWeightsMultiplier) {

  public ModelConfig {
    baseWeights = List.copyOf(baseWeights);
    baseWeightsMultiplier = List.copyOf(baseWeightsMultiplier);
  }

  /** The multiplier of base weight {@code index} (1.0 when not given, as the reference). */
  public double baseWeightMultiplier(int index) {
    return index < baseWeightsMultiplier.size() ? baseWeightsMultiplier.get(index) : 1.0;
  }

  static ModelConfig read(OptionReader r) {
    Path dit = r.requiredPath("dit", "the path of the DiT checkpoint (.safetensors)");
    WanTask task = r.choice("task", WanTask.values(), WanTask::optionName, false);
    boolean fp8Base = r.flag("fp8_base");
    boolean fp8Scaled = r.flag("fp8_scaled");
    r.require(!fp8Scaled || fp8Base, "fp8_scaled", "fp8_scaled requires fp8_base = true");
    int blocksToSwap = r.optionalIntBetween("blocks_to_swap", 0, task.numBlocks() - 1).orElse(0);
    List<Path> baseWeights = r.paths("base_weights");
    List<Double> multipliers = r.numbers("base_weights_multiplier");
    r.require(multipliers.size() <= baseWeights.size(), "base_weights_multiplier",
        "base_weights_multiplier has " + multipliers.size() + " values for " + baseWeights.size()
            + " base_weights files; give at most one per file");
    return new ModelConfig(dit, task, fp8Base, fp8Scaled, blocksToSwap, r.flag("gradient_checkpointing"),
        r.optionalChoice("mixed_precision", MixedPrecision.values(), MixedPrecision::optionName, false),
        baseWeights, multipliers);
  }
}
