package org.tsumugi.config.dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tsumugi.config.ConfigError;
import org.tsumugi.config.ConfigProblem;

/**
 * Checks a dataset file against the reference's schema (reference/wan-model.md §4.4) and resolves each dataset's
 * values dataset → [general] → default. Every problem is collected, then thrown as one {@link ConfigError}.
 */
final class DatasetConfigReader {
  static final Set<String> GENERAL_KEYS = Set.of("resolution", "caption_extension", "batch_size", "num_repeats",
      "enable_bucket", "bucket_no_upscale");
  static final Set<String> IMAGE_KEYS = union(GENERAL_KEYS, Set.of("image_directory", "image_jsonl_file",
      "cache_directory", "control_directory", "multiple_target", "fp_latent_window_size", "fp_1f_clean_indices",
      "fp_1f_target_index", "fp_1f_no_post", "no_resize_control", "control_resolution"));
  static final Set<String> VIDEO_KEYS = union(GENERAL_KEYS, Set.of("video_directory", "video_jsonl_file",
      "control_directory", "target_frames", "frame_extraction", "frame_stride", "frame_sample", "max_frames",
      "cache_directory", "source_fps", "fp_latent_window_size"));
  /** Keys the reference renames with a warning (its load_user_config). */
  private static final Map<String, String> RENAMED = Map.of(
      "flux_kontext_no_resize_control", "no_resize_control",
      "qwen_image_edit_no_resize_control", "no_resize_control",
      "qwen_image_edit_control_resolution", "control_resolution");

  private final List<ConfigProblem> problems = new ArrayList<>();
  private final String file;

  private DatasetConfigReader(String file) {
    this.file = file;
  }

  static DatasetConfig read(SourceTable root, String file) {
    return new DatasetConfigReader(file).read(root);
  }

  private DatasetConfig read(SourceTable root) {
    DatasetSection top = new DatasetSection(root, "the dataset config", problems);
    top.refuseUnknown(Set.of("general", "datasets"), Map.of());
    DatasetSection general = new DatasetSection(table(root, "general").orElse(new SourceTable(Map.of(), file)),
        "[general]", problems);
    general.refuseUnknown(GENERAL_KEYS, Map.of("cache_directory", "It belongs in each [[datasets]] entry.",
        "debug_dataset", "It is a command-line option of the reference's caching scripts."));
    DatasetGeneral fallbacks = new DatasetGeneral(general.resolution("resolution"),
        general.string("caption_extension"), optInt(general.integer("batch_size", 1)),
        optInt(general.integer("num_repeats", 1)), general.bool("enable_bucket"), general.bool("bucket_no_upscale"));
    List<DatasetSpec> datasets = new ArrayList<>();
    List<DatasetSection> sections = datasetSections(root);
    for (DatasetSection section : sections) {
      datasets.add(new DatasetEntryReader(section, fallbacks).read());
    }
    checkUniqueCacheDirectories(datasets, sections);
    if (!problems.isEmpty()) {
      throw new ConfigError(problems);
    }
    return new DatasetConfig(fallbacks, datasets);
  }

  private Optional<SourceTable> table(SourceTable root, String key) {
    SourceValue value = root.entries().get(key);
    if (value == null || value.value() == null) {
      return Optional.empty();
    }
    if (!(value.value() instanceof SourceTable t)) {
      problems.add(new ConfigProblem(value.where(), key, key + " must be a table, got " + value.describe()));
      return Optional.empty();
    }
    return Optional.of(t);
  }

  private List<DatasetSection> datasetSections(SourceTable root) {
    SourceValue value = root.entries().get("datasets");
    List<DatasetSection> sections = new ArrayList<>();
    if (value == null || !(value.value() instanceof List<?> items) || items.isEmpty()) {
      problems.add(new ConfigProblem(value == null ? file : value.where(), "datasets",
          "datasets must be a list of dataset tables ([[datasets]] in TOML) with at least one entry"));
      return sections;
    }
    for (int i = 0; i < items.size(); i++) {
      SourceValue item = (SourceValue) items.get(i);
      if (item.value() instanceof SourceTable t) {
        sections.add(new DatasetSection(renameDeprecated(t), "[[datasets]] #" + (i + 1), problems));
      } else {
        problems.add(new ConfigProblem(item.where(), "datasets", "datasets #" + (i + 1) + " must be a table, got "
            + item.describe()));
      }
    }
    return sections;
  }

  private static SourceTable renameDeprecated(SourceTable table) {
    Map<String, SourceValue> entries = new LinkedHashMap<>();
    table.entries().forEach((key, value) -> {
      String renamed = RENAMED.get(key);
      if (renamed == null) {
        entries.put(key, value);
      } else if (!table.entries().containsKey(renamed)) {
        entries.put(renamed, value);
      }
    });
    return new SourceTable(entries, table.where());
  }

  /** The reference requires distinct cache directories, the image/video directory counting when none is set. */
  private void checkUniqueCacheDirectories(List<DatasetSpec> datasets, List<DatasetSection> sections) {
    Map<Path, Integer> seen = new HashMap<>();
    for (int i = 0; i < datasets.size(); i++) {
      Path dir = datasets.get(i).common().cacheDirectory().normalize();
      Integer earlier = seen.putIfAbsent(dir, i);
      if (earlier != null && !dir.toString().isEmpty()) {
        DatasetSection section = sections.get(i);
        section.report("cache_directory", "cache_directory " + dir + " of " + section.name() + " is also the cache"
            + " directory of [[datasets]] #" + (earlier + 1) + "; each dataset needs its own (an unset"
            + " cache_directory means the image/video directory)");
      }
    }
  }

  private static java.util.OptionalInt optInt(Optional<Integer> value) {
    return value.map(java.util.OptionalInt::of).orElse(java.util.OptionalInt.empty());
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
