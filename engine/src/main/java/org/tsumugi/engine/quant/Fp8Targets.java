package org.tsumugi.engine.quant;

import java.util.List;

/**
 * Which weights the reference quantises for Wan (reference/wan-model.md §5, the model's FP8_OPTIMIZATION_*_KEYS): keys
 * containing "blocks", ending in ".weight" and containing none of the excluded names. In a Wan block these are the
 * linears' weights: self/cross-attention q, k, v, o (and k_img, v_img) and ffn.0, ffn.2.
 */
public final class Fp8Targets {

  public static final List<String> TARGET = List.of("blocks");
  public static final List<String> EXCLUDE = List.of("norm", "patch_embedding", "text_embedding", "time_embedding",
      "time_projection", "head", "modulation", "img_emb");

  private Fp8Targets() {}

  /** Substring matches, as the reference's {@code pattern in key}. */
  public static boolean selects(String key) {
    return key.endsWith(".weight")
        && TARGET.stream().anyMatch(key::contains)
        && EXCLUDE.stream().noneMatch(key::contains);
  }

  /** The scale's key beside a quantised weight ({@code .weight} → {@code .scale_weight}). */
  public static String scaleKey(String weightKey) {
    return weightKey.substring(0, weightKey.length() - ".weight".length()) + ".scale_weight";
  }
}
