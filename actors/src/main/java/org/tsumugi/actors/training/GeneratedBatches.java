package org.tsumugi.actors.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Synthetic batches generated in memory, deterministically from a seed: every item has fixed latents and text rows,
 * and each epoch visits the items in an order shuffled from (seed, epoch). For benchmarks, tests and the embedded
 * default; real runs read cache files.
 *
 * @param items number of items; the last batch of an epoch may be short
 * @param batchSize samples per batch
 * @param frames latent frames F; {@code height}, {@code width} latent H, W (even)
 * @param textTokens rows of each item's text context (varies by ±50% per item, at least 1)
 */
public record GeneratedBatches(long seed, int items, int batchSize, int frames, int height, int width,
    int textTokens, int textDim) implements BatchSource {
  static final int LATENT_CHANNELS = 16;

  @Override
  public int batchesPerEpoch() {
    return (items + batchSize - 1) / batchSize;
  }

  @Override
  public int numTrainItems() {
    return items;
  }

  @Override
  public HostBatch load(int epoch, int index) {
    int[] order = order(epoch);
    int from = index * batchSize;
    int b = Math.min(batchSize, items - from);
    int perSample = LATENT_CHANNELS * frames * height * width;
    float[] latents = new float[b * perSample];
    List<long[]> shapes = new ArrayList<>();
    List<float[]> contexts = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      SplittableRandom item = new SplittableRandom(seed * 31 + order[from + i]);
      for (int k = 0; k < perSample; k++) {
        latents[i * perSample + k] = (float) gaussian(item);
      }
      int tokens = Math.max(1, textTokens / 2 + item.nextInt(textTokens + 1));
      float[] context = new float[tokens * textDim];
      for (int k = 0; k < context.length; k++) {
        context[k] = (float) (gaussian(item) * 0.1);
      }
      shapes.add(new long[] {tokens, textDim});
      contexts.add(context);
    }
    return new HostBatch(epoch, index, new long[] {b, LATENT_CHANNELS, frames, height, width}, latents, shapes,
        contexts, Optional.empty());
  }

  /** The epoch's item order: a Fisher–Yates shuffle seeded from (seed, epoch). */
  private int[] order(int epoch) {
    int[] order = new int[items];
    for (int i = 0; i < items; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1)));
    for (int i = items - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static double gaussian(SplittableRandom r) {
    double u1 = 1.0 - r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
