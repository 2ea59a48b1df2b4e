package org.tsumugi.actors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tsumugi.actors.run.RunSpecs;
import org.tsumugi.actors.training.GeneratedBatches;
import org.tsumugi.actors.training.GeneratedModel;
import org.tsumugi.engine.model.wan.WanConfig;

/**
 * A run small enough for tests: a generated 2-block Wan DiT of width 32, six generated items in batches of two (three
 * batches an epoch), and a run file with the options a test adds.
 */
final class TinyRun {
  static final WanConfig MODEL = new WanConfig(32, 64, 32, 32, 16, 16, 16, 2, 2, 1e-6f, false);

  /** Batches of a tiny run, generated from its seed. */
  static final RunSpecs.Sources SOURCES = (config, dataset) -> batches(config.training().seed().getAsLong());

  private TinyRun() {}

  static GeneratedBatches batches(long seed) {
    return new GeneratedBatches(seed, 6, 2, 1, 4, 4, 4, MODEL.textDim());
  }

  /** Writes the model, a dataset file and {@code dir/run.conf} with {@code options} after the required ones. */
  static Path prepare(Path dir, String... options) throws IOException {
    Path model = GeneratedModel.write(dir.resolve("model"), MODEL, 11);
    Path dataset = Files.writeString(dir.resolve("dataset.toml"), String.join("\n",
        "[general]", "resolution = [32, 32]", "batch_size = 2", "[[datasets]]",
        "image_directory = \"" + dir.resolve("images") + "\"", "cache_directory = \"" + dir.resolve("cache") + "\"",
        ""));
    List<String> lines = new java.util.ArrayList<>(List.of(
        "dit = \"" + model + "\"",
        "dataset_config = \"" + dataset + "\"",
        "output_dir = \"" + dir.resolve("out") + "\"",
        "output_name = \"tiny\"",
        "network_dim = 4",
        "learning_rate = 1e-3",
        "seed = 42"));
    lines.addAll(List.of(options));
    return Files.writeString(dir.resolve("run.conf"), String.join("\n", lines) + "\n");
  }
}
