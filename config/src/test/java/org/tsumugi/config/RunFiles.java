package org.tsumugi.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes run files for tests; lines are numbered from 1 as editors and messages count them. */
final class RunFiles {
  /** The options every training run needs; tests add theirs after these four lines. */
  static final String REQUIRED = String.join("\n",
      "dit = \"/models/wan2.1_t2v_14B_bf16.safetensors\"",
      "dataset_config = \"/data/dataset.toml\"",
      "output_dir = \"/runs/out\"",
      "output_name = \"my-lora\"") + "\n";

  private RunFiles() {}

  static Path write(Path dir, String name, String text) {
    try {
      return Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A run file with the required options on lines 1–4 and {@code extraLines} from line 5 on. */
  static Path withRequired(Path dir, String... extraLines) {
    return write(dir, "run.conf", REQUIRED + String.join("\n", extraLines) + "\n");
  }
}
