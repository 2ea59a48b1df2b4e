package org.tsumugi.ops.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.tsumugi.actors.training.GeneratedModel;
import org.tsumugi.engine.data.LatentGrid;
import org.tsumugi.engine.data.SyntheticDataset;
import org.tsumugi.engine.data.SyntheticDatasetSpec;
import org.tsumugi.engine.model.wan.WanConfig;

/**
 * A run file for command tests: a generated 2-block Wan DiT of width 32 and six cached items (the reference's cache
 * format) in batches of two, written under a directory; output to {@code out/} there, named {@code tiny}.
 */
public final class TinyRunFile {
  static final WanConfig MODEL = new WanConfig(32, 64, 32, 32, 16, 16, 16, 2, 2, 1e-6f, false);

  private TinyRunFile() {}

  /** Writes the model, the dataset and {@code dir/run.conf} with {@code options} as its last lines. */
  public static Path write(Path dir, String... options) throws IOException {
    Path model = GeneratedModel.write(dir.resolve("model"), MODEL, 11);
    Path dataset = SyntheticDataset.write(dir.resolve("data"),
        new SyntheticDatasetSpec(6, new LatentGrid(1, 4, 4), MODEL.textDim(), MODEL.textLen(), 2, 1, 5));
    List<String> lines = new ArrayList<>(List.of(
        "dit = \"" + model + "\"",
        "dataset_config = \"" + dataset + "\"",
        "output_dir = \"" + dir.resolve("out") + "\"",
        "output_name = \"tiny\"",
        "network_dim = 4",
        "learning_rate = 1e-3",
        "seed = 42",
        "runtime.compute-threads = 1"));
    lines.addAll(List.of(options));
    return Files.writeString(dir.resolve("run.conf"), String.join("\n", lines) + "\n");
  }

  /** The first cache file (in name order) of the dataset {@link #write} wrote under {@code dir}. */
  public static Path firstLatentCache(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("data").resolve(SyntheticDataset.CACHE_DIRECTORY))) {
      return files.filter(p -> p.getFileName().toString().endsWith("_wan.safetensors")).sorted().findFirst()
          .orElseThrow(() -> new AssertionError("no latent cache under " + dir));
    }
  }
}
