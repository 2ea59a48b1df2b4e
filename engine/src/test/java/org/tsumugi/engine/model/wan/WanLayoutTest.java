package org.tsumugi.engine.model.wan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tsumugi.engine.tensor.ShapeMismatchException;

/** Key lists and shape checks of reference/wan-model.md §1.2. */
class WanLayoutTest {

  private static final WanConfig TINY = WanGoldenTestConfig.TINY;

  @Test
  void publishedConfigurationsHaveTheReferencesParameterCounts() {
    assertEquals(1.419e9, params(WanConfig.Preset.T2V_1_3B.config()), 0.0006e9);
    assertEquals(14.288e9, params(WanConfig.Preset.T2V_14B.config()), 0.0006e9);
    assertEquals(16.395e9, params(WanConfig.Preset.I2V_14B.config()), 0.0006e9);
  }

  private static double params(WanConfig c) {
    return WanLayout.expectedShapes(c).values().stream()
        .mapToDouble(s -> { double n = 1; for (long d : s) n *= d; return n; }).sum();
  }

  @Test
  void missingKeyIsNamed() {
    Map<String, long[]> shapes = new LinkedHashMap<>(WanLayout.expectedShapes(TINY));
    shapes.remove("blocks.1.ffn.0.weight");
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
        () -> WanLayout.check(shapes, TINY, "model.safetensors"));
    assertTrue(e.getMessage().contains("missing key blocks.1.ffn.0.weight"), e.getMessage());
    assertTrue(e.getMessage().startsWith("model.safetensors"), e.getMessage());
  }

  @Test
  void extraKeyIsNamed() {
    Map<String, long[]> shapes = new LinkedHashMap<>(WanLayout.expectedShapes(TINY));
    shapes.put("blocks.2.ffn.0.weight", new long[] {128, 64});
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> WanLayout.check(shapes, TINY, "f"));
    assertTrue(e.getMessage().contains("unexpected key blocks.2.ffn.0.weight"), e.getMessage());
  }

  @Test
  void misShapedKeyIsNamedWithBothShapes() {
    Map<String, long[]> shapes = new LinkedHashMap<>(WanLayout.expectedShapes(TINY));
    shapes.put("head.head.weight", new long[] {32, 64});
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> WanLayout.check(shapes, TINY, "f"));
    assertTrue(e.getMessage().contains("key head.head.weight has shape [32, 64], expected [64, 64]"), e.getMessage());
  }

  @Test
  void sizesAreReadOffTheShapes() {
    WanConfig i2v = WanConfig.Preset.I2V_14B.config();
    assertEquals(i2v, WanLayout.infer(WanLayout.expectedShapes(i2v), 0, 512, "f"));
    assertEquals(TINY, WanLayout.infer(WanLayout.expectedShapes(TINY), 4, 16, "f"));
  }

  @Test
  void releasePrefixIsDetected() {
    assertEquals(WanLayout.RELEASE_PREFIX,
        WanLayout.prefixOf(java.util.List.of("model.diffusion_model.blocks.0.modulation")));
    assertEquals("", WanLayout.prefixOf(java.util.List.of("blocks.0.modulation")));
  }
}
