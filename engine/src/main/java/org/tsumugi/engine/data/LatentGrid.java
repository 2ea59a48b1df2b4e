package org.tsumugi.engine.data;

import java.util.Optional;

/**
 * The size of a latent: F latent frames of H×W latent pixels. The Wan2.1 VAE compresses 8× in space and 4× in time
 * (the first frame alone), so a clip of 4k+1 pixel frames at W×H pixels has the grid (k+1, H/8, W/8).
 */
public record LatentGrid(int frames, int height, int width) {
  /** Pixels per latent pixel along height and width. */
  public static final int SPATIAL_STRIDE = 8;
  /** Pixel frames per latent frame after the first. */
  public static final int TEMPORAL_STRIDE = 4;

  public LatentGrid {
    if (frames < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException("latent grid " + frames + "x" + height + "x" + width
          + " must be positive in every dimension");
    }
  }

  /** The latent frames of a clip of {@code pixelFrames} (4k+1) frames. */
  public static int latentFrames(int pixelFrames) {
    return (pixelFrames - 1) / TEMPORAL_STRIDE + 1;
  }

  /**
   * Parses the {@code FxHxW} part of a latent key ({@code "1x32x32"}); empty unless it is three positive decimal
   * integers joined by {@code x}.
   */
  public static Optional<LatentGrid> parse(String text) {
    String[] parts = text.split("x", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    int[] values = new int[3];
    for (int i = 0; i < 3; i++) {
      Optional<Integer> v = CacheFileName.decimal(parts[i]);
      if (v.isEmpty() || v.get() < 1) {
        return Optional.empty();
      }
      values[i] = v.get();
    }
    return Optional.of(new LatentGrid(values[0], values[1], values[2]));
  }

  /** The shape of a latent tensor with this grid: [channels, F, H, W]. */
  public long[] shape(int channels) {
    return new long[] {channels, frames, height, width};
  }

  @Override
  public String toString() {
    return frames + "x" + height + "x" + width;
  }
}
