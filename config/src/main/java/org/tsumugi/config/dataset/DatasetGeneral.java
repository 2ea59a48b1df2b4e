package org.tsumugi.config.dataset;

import java.util.Optional;
import java.util.OptionalInt;

/** The {@code [general]} section as written: the fallbacks of every dataset (only these six keys are allowed). */
public record DatasetGeneral(
    Optional<Resolution> resolution,
    Optional<String> captionExtension,
    OptionalInt batchSize,
    OptionalInt numRepeats,
    Optional<Boolean> enableBucket,
    Optional<Boolean> bucketNoUpscale) {}
