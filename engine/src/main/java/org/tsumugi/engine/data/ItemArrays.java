package org.tsumugi.engine.data;

import java.util.Optional;

/**
 * The tensors of one item, read from its two cache files into Java memory (float32).
 *
 * @param latents [16, F, H, W]
 * @param context the T5 rows [L, text_dim]
 * @param imageLatents [20, F, H, W], if cached
 * @param clip [257, 1280] ([n, 257, 1280] one-frame), if cached
 * @param controlLatents [16, F, H, W], if cached
 * @param frameIndices one-frame frame indices [F], if cached
 */
public record ItemArrays(
    CacheItem item,
    HostTensor latents,
    HostTensor context,
    Optional<HostTensor> imageLatents,
    Optional<HostTensor> clip,
    Optional<HostTensor> controlLatents,
    Optional<int[]> frameIndices) {

  /**
   * Reads both cache files of {@code item}, checking them again (they may have changed since discovery) and that
   * the latent still has the item's bucket size.
   *
   * @throws CacheFileException naming the file at fault
   */
  public static ItemArrays read(CacheItem item, CacheRequirements requirements) throws CacheFileException {
    HostTensor latents;
    Optional<HostTensor> image;
    Optional<HostTensor> clip;
    Optional<HostTensor> control;
    Optional<int[]> indices;
    try (WanLatentCache cache = WanLatentCache.open(item.latentFile(), requirements)) {
      if (!cache.grid().equals(item.bucket().grid())) {
        throw new CacheFileException(item.latentFile(), "latent size is now " + cache.grid() + " but was "
            + item.bucket().grid() + " when the dataset was discovered; the cache changed during training");
      }
      latents = cache.read(CacheEntry.LATENTS);
      image = readIfPresent(cache, CacheEntry.IMAGE_LATENTS);
      clip = readIfPresent(cache, CacheEntry.CLIP);
      control = readIfPresent(cache, CacheEntry.CONTROL_LATENTS);
      indices = cache.readFrameIndices();
    }
    HostTensor context;
    try (WanTextCache text = WanTextCache.open(item.textFile(), requirements)) {
      context = text.readContext();
    }
    return new ItemArrays(item, latents, context, image, clip, control, indices);
  }

  /** The shape of an entry, if the item has it (T5 rows vary in length and are never stacked). */
  public Optional<long[]> shape(CacheEntry entry) {
    return switch (entry) {
      case LATENTS -> Optional.of(latents.shape());
      case IMAGE_LATENTS -> imageLatents.map(HostTensor::shape);
      case CONTROL_LATENTS -> controlLatents.map(HostTensor::shape);
      case CLIP -> clip.map(HostTensor::shape);
      case FRAME_INDICES -> frameIndices.map(f -> new long[] {f.length});
      case T5 -> Optional.of(context.shape());
    };
  }

  private static Optional<HostTensor> readIfPresent(WanLatentCache cache, CacheEntry entry)
      throws CacheFileException {
    return cache.entries().contains(entry) ? Optional.of(cache.read(entry)) : Optional.empty();
  }
}
