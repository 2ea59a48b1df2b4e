package org.tsumugi.engine.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.tsumugi.config.NetworkConfig;

/** Include/exclude semantics of reference/lora-and-ema.md §1.2. */
class LoraSelectionTest {

  private static final LoraTargets WAN = new LoraTargets("networks.lora_wan", List.of(),
      List.of(".*(patch_embedding|text_embedding|time_embedding|time_projection|norm|head).*"));

  private static LoraSelection selection(List<String> exclude, List<String> include) {
    NetworkConfig c = new NetworkConfig(4, 1, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
        exclude, include, OptionalDouble.empty(), Map.of(), Optional.empty());
    return LoraSelection.of(c, WAN);
  }

  @Test
  void defaultsKeepEveryBlockLinearAndDropEmbeddingsAndHead() {
    LoraSelection s = selection(List.of(), List.of());
    assertTrue(s.selects("blocks.0.self_attn.q"));
    assertTrue(s.selects("blocks.39.ffn.2"));
    assertTrue(s.selects("blocks.3.cross_attn.k_img"));
    assertFalse(s.selects("head.head"));
    assertFalse(s.selects("text_embedding.0"));
  }

  @Test
  void patternsMustMatchTheWholeName() {
    LoraSelection s = selection(List.of("blocks\\.1\\..*"), List.of());
    assertFalse(s.selects("blocks.1.self_attn.q"));
    assertTrue(s.selects("blocks.11.self_attn.q"));
    assertTrue(selection(List.of("self_attn"), List.of()).selects("blocks.0.self_attn.q"));
  }

  @Test
  void includeOnlyRescuesExcludedModules() {
    LoraSelection s = selection(List.of(".*"), List.of(".*ffn.*"));
    assertTrue(s.selects("blocks.0.ffn.0"));
    assertFalse(s.selects("blocks.0.self_attn.q"));
    LoraSelection includeAlone = selection(List.of(), List.of(".*ffn.*"));
    assertTrue(includeAlone.selects("blocks.0.self_attn.q"), "include does not restrict by itself");
  }

  @Test
  void invalidPatternIsRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> selection(List.of("blocks.(0"), List.of()));
    assertTrue(e.getMessage().contains("blocks.(0"), e.getMessage());
    assertTrue(e.getMessage().contains("exclude_patterns"), e.getMessage());
  }

  @Test
  void loraNamesFollowTheReference() {
    assertEquals("lora_unet_blocks_0_self_attn_q", LoraModule.loraNameOf("blocks.0.self_attn.q"));
    assertEquals("lora_unet_blocks_12_cross_attn_k_img", LoraModule.loraNameOf("blocks.12.cross_attn.k_img"));
  }
}
