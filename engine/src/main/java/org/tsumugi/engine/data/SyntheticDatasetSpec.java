package org.tsumugi.engine.data;

/**
 * What {@link SyntheticDataset} writes.
 *
 * @param items number of items (distinct cache file pairs)
 * @param grid the latent size of every item; one frame gives an image dataset, more a video dataset of
 *     4(F−1)+1-frame clips
 * @param textDim width of the T5 rows (the model's text_dim)
 * @param textLen the most T5 rows an item gets (lengths are drawn from 1..textLen)
 * @param batchSize {@code batch_size} written to the dataset config
 * @param numRepeats {@code num_repeats} written to the dataset config
 * @param seed every value is a function of it
 */
public record SyntheticDatasetSpec(
    int items, LatentGrid grid, int textDim, int textLen, int batchSize, int numRepeats, long seed) {

  public SyntheticDatasetSpec {
    if (items < 1 || textDim < 1 || textLen < 1 || batchSize < 1 || numRepeats < 1) {
      throw new IllegalArgumentException("items, textDim, textLen, batchSize and numRepeats must be positive: "
          + items + ", " + textDim + ", " + textLen + ", " + batchSize + ", " + numRepeats);
    }
  }

  /** A small image dataset: {@code items} 256×256 images (latents 16×1×32×32). */
  public static SyntheticDatasetSpec images(int items, int textDim, int textLen, long seed) {
    return new SyntheticDatasetSpec(items, new LatentGrid(1, 32, 32), textDim, textLen, 1, 1, seed);
  }

  public boolean video() {
    return grid.frames() > 1;
  }

  /** Pixel frames of each clip: 4(F−1)+1. */
  public int pixelFrames() {
    return LatentGrid.TEMPORAL_STRIDE * (grid.frames() - 1) + 1;
  }

  public int pixelWidth() {
    return grid.width() * LatentGrid.SPATIAL_STRIDE;
  }

  public int pixelHeight() {
    return grid.height() * LatentGrid.SPATIAL_STRIDE;
  }
}
