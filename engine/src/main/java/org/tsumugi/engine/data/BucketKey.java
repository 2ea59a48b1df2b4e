package org.tsumugi.engine.data;

import java.util.Comparator;

/**
 * The bucket of a training item: the pixel size of its (resized, cropped) frames and its latent frame count. Items of
 * one bucket have equal latent shapes and can be stacked into one batch. Sorted by (width, height, frames), the
 * order of the reference's bucket tuples (W, H, frames) (reference/wan-model.md §4.5).
 *
 * @param width bucket width in pixels (latent width × 8)
 * @param height bucket height in pixels (latent height × 8)
 * @param latentFrames latent frames F (1 for an image; a video of 4k+1 frames has k+1)
 */
public record BucketKey(int width, int height, int latentFrames) implements Comparable<BucketKey> {
  private static final Comparator<BucketKey> ORDER = Comparator.comparingInt(BucketKey::width)
      .thenComparingInt(BucketKey::height)
      .thenComparingInt(BucketKey::latentFrames);

  public static BucketKey of(LatentGrid grid) {
    return new BucketKey(grid.width() * LatentGrid.SPATIAL_STRIDE, grid.height() * LatentGrid.SPATIAL_STRIDE,
        grid.frames());
  }

  public LatentGrid grid() {
    return new LatentGrid(latentFrames, height / LatentGrid.SPATIAL_STRIDE, width / LatentGrid.SPATIAL_STRIDE);
  }

  @Override
  public int compareTo(BucketKey other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return width + "x" + height + "x" + latentFrames;
  }
}
