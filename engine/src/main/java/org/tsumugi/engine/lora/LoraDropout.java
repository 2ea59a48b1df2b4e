package org.tsumugi.engine.lora;

import java.util.OptionalDouble;
import org.tsumugi.config.NetworkConfig;

/**
 * The three training-time dropouts of the reference's LoRA module (reference/lora-and-ema.md §1.5).
 *
 * @param neuron {@code network_dropout}: inverted dropout on down(x)
 * @param rank {@code rank_dropout}: drops whole rank channels per sample and rescales by 1/(1−p)
 * @param module {@code module_dropout}: skips the whole adapter for this call
 */
public record LoraDropout(OptionalDouble neuron, OptionalDouble rank, OptionalDouble module) {

  public static LoraDropout none() {
    return new LoraDropout(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());
  }

  public static LoraDropout of(NetworkConfig c) {
    return new LoraDropout(c.networkDropout(), c.rankDropout(), c.moduleDropout());
  }

  public boolean any() {
    return neuron.isPresent() || rank.isPresent() || module.isPresent();
  }
}
