package org.tsumugi.engine.data;

import java.nio.file.Path;

/** A latent cache left out because its text-encoder cache does not exist (the reference warns and skips it too). */
public record SkippedItem(Path latentFile, Path missingTextFile) {

  /** The warning to log. */
  public String message() {
    return "text encoder output cache file not found: " + missingTextFile + "; skipping " + latentFile;
  }
}
