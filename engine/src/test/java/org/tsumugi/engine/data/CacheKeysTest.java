package org.tsumugi.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Key → batch name as reference/wan-model.md §4.2 describes it. */
class CacheKeysTest {

  @ParameterizedTest
  @CsvSource({
      "latents_1x32x32_bfloat16, latents",
      "latents_21x60x104_float32, latents",
      "latents_image_21x60x104_bfloat16, latents_image",
      "latents_control_1x32x32_float16, latents_control",
      "clip_bfloat16, clip",
      "clip_float16, clip",
      "varlen_t5_bfloat16, t5",
      "f_indices_int32, f_indices",
      // longest dtype wins: float8_e4m3fn, not a trailing "fn" or nothing
      "latents_1x4x4_float8_e4m3fn, latents",
      "varlen_t5_float8_e4m3fn, t5",
      "latents_control_0_1x32x32_bfloat16, latents_control_0",
      // _mask keys keep their name; unknown suffixes stay
      "llm_mask, llm_mask",
      "varlen_llm_mask, llm_mask",
      "t5, t5",
      "clip_fp16, clip_fp16"})
  void mapsKeysToBatchNames(String key, String batchName) {
    assertEquals(batchName, CacheKeys.batchName(key));
  }

  @Test
  void knowsWhichEntriesWanUses() {
    assertEquals(Optional.of(CacheEntry.LATENTS), CacheKeys.entry("latents_1x32x32_bfloat16"));
    assertEquals(Optional.of(CacheEntry.T5), CacheKeys.entry("varlen_t5_float16"));
    assertEquals(Optional.of(CacheEntry.CLIP), CacheKeys.entry("clip_bfloat16"));
    assertEquals(Optional.empty(), CacheKeys.entry("llm_bfloat16"));
    assertTrue(CacheKeys.isVarlen("varlen_t5_bfloat16"));
    assertFalse(CacheKeys.isVarlen("latents_1x2x2_bfloat16"));
  }

  @Test
  void extractsTheLatentGridOfAKey() {
    assertEquals(Optional.of("21x60x104"), CacheKeys.gridPart("latents_image_21x60x104_bfloat16"));
    assertEquals(Optional.of(new LatentGrid(21, 60, 104)), LatentGrid.parse("21x60x104"));
    assertEquals(Optional.empty(), CacheKeys.gridPart("clip_bfloat16"));
    assertEquals(Optional.empty(), LatentGrid.parse("1x32"));
    assertEquals(Optional.empty(), LatentGrid.parse("1x0x32"));
    assertEquals(Optional.empty(), LatentGrid.parse("1x-2x32"));
    assertEquals(Optional.empty(), LatentGrid.parse("1x32x32x1"));
  }
}
