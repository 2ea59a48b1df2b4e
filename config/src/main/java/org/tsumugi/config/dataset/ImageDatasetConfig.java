package org.tsumugi.config.dataset;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An image dataset (reference/wan-model.md §4.4); exactly one of imageDirectory / imageJsonlFile is present.
 *
 * @param fp1fCleanIndices {@code fp_1f_clean_indices} (one-frame training)
 * @param controlResolution {@code control_resolution}
 */
public record ImageDatasetConfig(
    DatasetCommon common,
    Optional<Path> imageDirectory,
    Optional<Path> imageJsonlFile,
    Optional<Path> controlDirectory,
    boolean multipleTarget,
    int fpLatentWindowSize,
    Optional<List<Integer>> fp1fCleanIndices,
    OptionalInt fp1fTargetIndex,
    boolean fp1fNoPost,
    boolean noResizeControl,
    Optional<Resolution> controlResolution) implements DatasetSpec {}
