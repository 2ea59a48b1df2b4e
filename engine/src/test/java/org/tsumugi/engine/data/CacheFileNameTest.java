package org.tsumugi.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** File names read as the reference does at train time (reference/wan-model.md §4.1). */
class CacheFileNameTest {

  private static CacheFileName parse(String name, MediaKind kind) throws CacheFileException {
    return CacheFileName.parse(Path.of("/cache").resolve(name), kind);
  }

  @Test
  void readsAnImageName() throws CacheFileException {
    CacheFileName n = parse("cat_0512x0768_wan.safetensors", MediaKind.IMAGE);
    assertEquals(new CacheFileName("cat", 512, 768, OptionalInt.empty(), OptionalInt.empty()), n);
    assertEquals("cat_wan_te.safetensors", n.textFileName());
  }

  @Test
  void keepsUnderscoresOfTheItemKey() throws CacheFileException {
    CacheFileName n = parse("my_cat_photo_01_1920x1080_wan.safetensors", MediaKind.IMAGE);
    assertEquals("my_cat_photo_01", n.itemKey());
    assertEquals(1920, n.width());
    assertEquals(1080, n.height());
  }

  @Test
  void readsAVideoName() throws CacheFileException {
    CacheFileName n = parse("walk_00016-081_0832x0480_wan.safetensors", MediaKind.VIDEO);
    assertEquals(new CacheFileName("walk", 832, 480, OptionalInt.of(16), OptionalInt.of(81)), n);
    assertEquals("walk_wan_te.safetensors", n.textFileName());
  }

  @Test
  void ignoresTheOptionalThirdFramePart() throws CacheFileException {
    CacheFileName n = parse("a_b_00000-017-03_0256x0256_wan.safetensors", MediaKind.VIDEO);
    assertEquals("a_b", n.itemKey());
    assertEquals(OptionalInt.of(0), n.frameStart());
    assertEquals(OptionalInt.of(17), n.frameCount());
  }

  @Test
  void readsAVideoCacheInAnImageDatasetAsTheReferenceDoes() throws CacheFileException {
    // the frame part becomes part of the item key, so no text cache is found and the item is skipped
    CacheFileName n = parse("walk_00000-017_0256x0256_wan.safetensors", MediaKind.IMAGE);
    assertEquals("walk_00000-017", n.itemKey());
  }

  @Test
  void allowsAnEmptyItemKey() throws CacheFileException {
    assertEquals("", parse("0256x0256_wan.safetensors", MediaKind.IMAGE).itemKey());
  }

  @ParameterizedTest
  @ValueSource(strings = {"_wan.safetensors", "cat_wan.safetensors", "cat_512_wan.safetensors",
      "cat_512x_wan.safetensors", "cat_0x512_wan.safetensors", "cat_12x34x56_wan.safetensors"})
  void refusesImageNamesWithoutASize(String name) {
    CacheFileException e = assertThrows(CacheFileException.class, () -> parse(name, MediaKind.IMAGE));
    assertTrue(e.getMessage().contains(name), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"walk_0256x0256_wan.safetensors", "0256x0256_wan.safetensors",
      "walk_00000_0256x0256_wan.safetensors", "walk_00000-000_0256x0256_wan.safetensors",
      "walk_a-17_0256x0256_wan.safetensors"})
  void refusesVideoNamesWithoutAFramePart(String name) {
    CacheFileException e = assertThrows(CacheFileException.class, () -> parse(name, MediaKind.VIDEO));
    assertTrue(e.getMessage().contains("start-frames"), e.getMessage());
  }
}
