package org.tsumugi.engine.data;

import java.nio.file.Path;

/**
 * One training item found in a cache directory: its latent cache and text-encoder cache, and its bucket.
 *
 * @param itemKey the basename the two files share (e.g. {@code cat_01} for {@code cat_01_0512x0512_wan.safetensors})
 */
public record CacheItem(String itemKey, Path latentFile, Path textFile, BucketKey bucket) {}
