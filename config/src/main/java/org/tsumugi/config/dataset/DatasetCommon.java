package org.tsumugi.config.dataset;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The keys every dataset has, resolved dataset → [general] → default (reference/wan-model.md §4.4).
 *
 * @param bucketNoUpscale {@code bucket_no_upscale}; false whenever bucketing is off, as the reference forces it
 * @param cacheDirectory {@code cache_directory}, defaulting to the image/video directory as the reference does
 */
public record DatasetCommon(
    Resolution resolution,
    Optional<String> captionExtension,
    int batchSize,
    int numRepeats,
    boolean enableBucket,
    boolean bucketNoUpscale,
    Path cacheDirectory) {}
