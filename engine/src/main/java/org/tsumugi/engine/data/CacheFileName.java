package org.tsumugi.engine.data;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A latent cache file name read as the reference reads it at train time (reference/wan-model.md §4.1): the name is
 * split on {@code _}; for an image the second-to-last token is the original {@code WxH} and the tokens before it the
 * item key; for a video the token before the size is {@code start-frames} (an optional third {@code -xx} part is
 * ignored) and the item key is what precedes it.
 *
 * @param itemKey the basename shared with the item's text-encoder cache
 * @param width original width in pixels
 * @param height original height in pixels
 * @param frameStart videos: index of the clip's first frame
 * @param frameCount videos: clip length in pixel frames
 */
public record CacheFileName(String itemKey, int width, int height, OptionalInt frameStart, OptionalInt frameCount) {
  /** Latent caches are found by this suffix ({@code *_wan.safetensors}). */
  public static final String LATENT_SUFFIX = "_wan.safetensors";
  /** An item's text-encoder cache is {@code {itemKey}_wan_te.safetensors}. */
  public static final String TEXT_SUFFIX = "_wan_te.safetensors";

  /**
   * Reads a latent cache file name.
   *
   * @throws CacheFileException naming the file if its name does not have the parts the dataset kind needs
   */
  public static CacheFileName parse(Path file, MediaKind kind) throws CacheFileException {
    String[] tokens = file.getFileName().toString().split("_", -1);
    String expected = kind == MediaKind.IMAGE ? "{name}_{W}x{H}" + LATENT_SUFFIX
        : "{name}_{start}-{frames}_{W}x{H}" + LATENT_SUFFIX;
    int sizeAt = tokens.length - 2;
    int[] size = sizeAt < 0 ? null : pair(tokens[sizeAt], "x");
    if (size == null) {
      throw new CacheFileException(file, "the file name has no original size part WxH before " + LATENT_SUFFIX
          + "; a " + kind.name().toLowerCase(java.util.Locale.ROOT) + " latent cache is named " + expected);
    }
    if (size[0] < 1 || size[1] < 1) {
      throw new CacheFileException(file, "the original size " + size[0] + "x" + size[1] + " in the file name must be"
          + " positive");
    }
    if (kind == MediaKind.IMAGE) {
      return new CacheFileName(join(tokens, sizeAt), size[0], size[1], OptionalInt.empty(), OptionalInt.empty());
    }
    int[] frames = sizeAt < 1 ? null : startAndCount(tokens[sizeAt - 1]);
    if (frames == null || frames[1] < 1) {
      throw new CacheFileException(file, "the file name has no start-frames part before the size; a video latent"
          + " cache is named " + expected);
    }
    return new CacheFileName(join(tokens, sizeAt - 1), size[0], size[1], OptionalInt.of(frames[0]),
        OptionalInt.of(frames[1]));
  }

  /** The name of the item's text-encoder cache file. */
  public String textFileName() {
    return itemKey + TEXT_SUFFIX;
  }

  /** A non-negative decimal integer written with ASCII digits (leading zeros allowed), if it fits an int. */
  static Optional<Integer> decimal(String text) {
    if (text.isEmpty() || text.length() > 9) {
      return Optional.empty();
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return Optional.empty();
      }
    }
    return Optional.of(Integer.parseInt(text));
  }

  private static int[] pair(String token, String separator) {
    String[] parts = token.split(separator, -1);
    if (parts.length != 2) {
      return null;
    }
    Optional<Integer> a = decimal(parts[0]);
    Optional<Integer> b = decimal(parts[1]);
    return a.isPresent() && b.isPresent() ? new int[] {a.get(), b.get()} : null;
  }

  private static int[] startAndCount(String token) {
    String[] parts = token.split("-", -1);
    if (parts.length < 2) {
      return null;
    }
    return pair(parts[0] + "-" + parts[1], "-");
  }

  private static String join(String[] tokens, int end) {
    return String.join("_", java.util.Arrays.asList(tokens).subList(0, end));
  }
}
