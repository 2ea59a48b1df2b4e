package org.tsumugi.config.dataset;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A video dataset (reference/wan-model.md §4.4); exactly one of videoDirectory / videoJsonlFile is present.
 *
 * @param targetFrames {@code target_frames} each rounded down to 4k+1, deduplicated and sorted
 * @param frameExtraction {@code frame_extraction}; uniform with frame_sample 1 becomes head, as in the reference
 * @param sourceFps {@code source_fps}; empty = use every frame
 */
public record VideoDatasetConfig(
    DatasetCommon common,
    Optional<Path> videoDirectory,
    Optional<Path> videoJsonlFile,
    Optional<Path> controlDirectory,
    List<Integer> targetFrames,
    FrameExtraction frameExtraction,
    int frameStride,
    int frameSample,
    int maxFrames,
    OptionalDouble sourceFps,
    int fpLatentWindowSize) implements DatasetSpec {}
