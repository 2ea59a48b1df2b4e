package org.tsumugi.config;

import java.util.Optional;

/**
 * What saved LoRA files say about themselves (reference/lora-and-ema.md §1.9, §1.11).
 *
 * @param noMetadata {@code no_metadata}: only the minimal keys (plus modelspec and hashes)
 * @param resolution {@code metadata_reso} as given: "W,H" or "N"
 * @param architecture {@code metadata_arch}: replaces the architecture id of modelspec.architecture
 */
public record MetadataConfig(
    boolean noMetadata,
    Optional<String> trainingComment,
    Optional<String> title,
    Optional<String> author,
    Optional<String> description,
    Optional<String> license,
    Optional<String> tags,
    Optional<String> resolution,
    Optional<String> architecture) {

  /** modelspec.resolution: "{W}x{H}" from metadata_reso, else the reference's placeholder for Wan. */
  public String modelspecResolution() {
    if (resolution.isEmpty()) {
      return "1280x720";
    }
    String[] parts = resolution.get().split(",");
    String w = parts[0].trim();
    return w + "x" + (parts.length > 1 ? parts[1].trim() : w);
  }

  static MetadataConfig read(OptionReader r) {
    Optional<String> reso = r.optionalText("metadata_reso");
    reso.ifPresent(text -> r.require(text.matches("\\s*[1-9]\\d*\\s*(,\\s*[1-9]\\d*\\s*)?"), "metadata_reso",
        "metadata_reso must be \"W,H\" or \"N\" with positive whole numbers, got [" + text + "]"));
    return new MetadataConfig(r.flag("no_metadata"), r.optionalText("training_comment"),
        r.optionalText("metadata_title"), r.optionalText("metadata_author"), r.optionalText("metadata_description"),
        r.optionalText("metadata_license"), r.optionalText("metadata_tags"), reso, r.optionalText("metadata_arch"));
  }
}
