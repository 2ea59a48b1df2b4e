package org.tsumugi.engine.model.wan;

import java.util.ArrayList;
import java.util.List;
import org.tsumugi.engine.lora.LoraTargets;
import org.tsumugi.engine.nn.LinearLayer;

/** Wan's LoRA declaration (reference/lora-and-ema.md §1.1): every linear of every WanAttentionBlock. */
public final class WanLoraTargets {

  public static final String NETWORK_MODULE = "networks.lora_wan";
  public static final String DEFAULT_EXCLUDE =
      ".*(patch_embedding|text_embedding|time_embedding|time_projection|norm|head).*";

  private WanLoraTargets() {}

  public static LoraTargets of(WanWeights weights) {
    List<LinearLayer> layers = new ArrayList<>();
    for (WanBlockWeights b : weights.blocks()) {
      addAttention(layers, b.selfAttn());
      addAttention(layers, b.crossAttn());
      layers.add(b.ffn0());
      layers.add(b.ffn2());
    }
    return new LoraTargets(NETWORK_MODULE, layers, List.of(DEFAULT_EXCLUDE));
  }

  /** Registration order of the reference's attention modules: q, k, v, o, then k_img, v_img. */
  private static void addAttention(List<LinearLayer> layers, WanAttentionWeights a) {
    layers.addAll(List.of(a.q(), a.k(), a.v(), a.o()));
    if (a.hasImageKv()) {
      layers.add(a.kImg());
      layers.add(a.vImg());
    }
  }
}
