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

  /** The reference's network module for Wan LoRA (ss_network_module); the only one Tsumugi implements. */
  public static final String WAN_NETWORK_MODULE = "networks.lora_wan";

  /** network_args {@code verbose}: on only for the exact text "True", as the reference. */
  public boolean verbose() {
    return "True".equals(networkArgs.get("verbose"));
  }

  static NetworkConfig read(OptionReader r) {
    String module = r.text("network_module");
    r.require(module.equals(WAN_NETWORK_MODULE), "network_module",
        "unknown network_module [" + module + "]. Select one of [" + WAN_NETWORK_MODULE + "]");
    int dim = r.optionalIntBetween("network_dim", 1, Integer.MAX_VALUE).orElse(4);
    double alpha = r.numberBetween("network_alpha", 0.0, Double.POSITIVE_INFINITY, false);
    OptionalDouble dropout = r.optionalNumberBetween("network_dropout", 0.0, 1.0, false);
    NetworkArgs args = r.attempt(() -> NetworkArgs.parse(r.strings("network_args"), r.at("network_args")))
        .orElseGet(() -> NetworkArgs.parse(List.of(), r.at("network_args")));
    return new NetworkConfig(dim, alpha, dropout, args.rankDropout(), args.moduleDropout(), args.excludePatterns(),
        args.includePatterns(), args.loraplusLrRatio(), args.items(), r.optionalText("network_weights"));
  }

  public static NetworkConfig defaults() {
    return new NetworkConfig(4, 1.0, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
        List.of(), List.of(), OptionalDouble.empty(), Map.of(), Optional.empty());
  }
}
