package org.tsumugi.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * LoRA network options (reference/lora-and-ema.md §1.3–1.4).
 *
 * @param networkDim {@code network_dim} (the reference turns None into 4)
 * @param networkAlpha {@code network_alpha}
 * @param networkDropout {@code network_dropout}, empty = off
 * @param rankDropout network_args {@code rank_dropout}
 * @param moduleDropout network_args {@code module_dropout}
 * @param excludePatterns network_args {@code exclude_patterns} (user's, before the architecture default)
 * @param includePatterns network_args {@code include_patterns}
 * @param loraplusLrRatio network_args {@code loraplus_lr_ratio}
 * @param networkArgs every {@code network_args} item as given, for {@code ss_network_args}
 * @param networkWeights {@code network_weights}: LoRA weights to start from
 */
public record NetworkConfig(
    int networkDim,
    double networkAlpha,
    OptionalDouble networkDropout,
    OptionalDouble rankDropout,
    OptionalDouble moduleDropout,
    List<String> excludePatterns,
    List<String> includePatterns,
    OptionalDouble loraplusLrRatio,
    Map<String, String> networkArgs,
    Optional<String> networkWeights) {

  public static NetworkConfig defaults() {
    return new NetworkConfig(4, 1.0, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
        List.of(), List.of(), OptionalDouble.empty(), Map.of(), Optional.empty());
  }
}
