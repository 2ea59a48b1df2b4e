package org.tsumugi.actors.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tsumugi.engine.data.LatentGrid;
import org.tsumugi.engine.data.SyntheticDataset;
import org.tsumugi.engine.data.SyntheticDatasetSpec;
import org.tsumugi.engine.model.wan.WanConfig;

/**
 * A run made up end to end: a generated Wan DiT ({@link GeneratedModel}), a synthetic dataset in the reference's
 * cache format and a run file naming both, written under one directory (model/, data/, run.conf; output to out/).
 */
public final class GeneratedRun {
  /** The smallest useful run: 2 blocks of width 32 and six cached items in batches of two (three batches an epoch). */
  public static final WanConfig TINY_MODEL = new WanConfig(32, 64, 32, 32, 16, 16, 16, 2, 2, 1e-6f, false);

  public static final SyntheticDatasetSpec TINY_DATA =
      new SyntheticDatasetSpec(6, new LatentGrid(1, 4, 4), TINY_MODEL.textDim(), TINY_MODEL.textLen(), 2, 1, 5);

  private GeneratedRun() {}

  /** The tiny run, named {@code tiny}, with {@code options} as the run file's last lines. */
  public static Path writeTiny(Path dir, List<String> options) throws IOException {
    List<String> lines = new ArrayList<>(List.of("output_name = \"tiny\"", "network_dim = 4",
        "learning_rate = 1e-3", "seed = 42"));
    lines.addAll(options);
    return write(dir, TINY_MODEL, 11, TINY_DATA, lines);
  }

  /** Writes the model, the dataset and {@code dir/run.conf}: dit, dataset_config, output_dir, then {@code options}. */
  public static Path write(Path dir, WanConfig model, long modelSeed, SyntheticDatasetSpec data, List<String> options)
      throws IOException {
    Path checkpoint = GeneratedModel.write(dir.resolve("model"), model, modelSeed);
    Path dataset = SyntheticDataset.write(dir.resolve("data"), data);
    List<String> lines = new ArrayList<>(List.of(
        "dit = \"" + checkpoint + "\"",
        "dataset_config = \"" + dataset + "\"",
        "output_dir = \"" + dir.resolve("out") + "\""));
    lines.addAll(options);
    return Files.writeString(dir.resolve("run.conf"), String.join("\n", lines) + "\n");
  }
}
