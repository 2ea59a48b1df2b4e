package org.tsumugi.ops.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.tsumugi.actors.training.GeneratedModel;
import org.tsumugi.engine.data.LatentGrid;
import org.tsumugi.engine.data.SyntheticDataset;
import org.tsumugi.engine.data.SyntheticDatasetSpec;
import org.tsumugi.engine.model.wan.WanConfig;

/**
 * The run {@code tsumugi train} makes when given no run file: a small Wan-architecture DiT (real layer structure and key
 * names) and a synthetic image dataset in the reference's cache format, both generated once into the default
 * directory and reused, and a run file ({@code default-run.conf}, embedded) whose output goes to a new directory
 * under {@code runs/} each time.
 */
final class EmbeddedDefault {
  static final WanConfig MODEL = new WanConfig(128, 256, 64, 64, 32, 16, 16, 4, 4, 1e-6f, false);
  static final SyntheticDatasetSpec DATA =
      new SyntheticDatasetSpec(12, new LatentGrid(1, 16, 16), MODEL.textDim(), MODEL.textLen(), 2, 1, 7);
  private static final String RUN_FILE = "default-run.conf";

  private EmbeddedDefault() {}

  /** Writes what is missing under {@code dir} and returns the run file for a new run. */
  static Path prepare(Path dir, PrintWriter out) throws IOException {
    dir = dir.toAbsolutePath().normalize();
    Path model = dir.resolve("model").resolve("model.safetensors");
    if (!Files.isRegularFile(model)) {
      GeneratedModel.write(model.getParent(), MODEL, 1);
      out.println("embedded default: generated a Wan DiT " + MODEL + " in " + model.getParent());
    }
    Path data = dir.resolve("data");
    Path complete = data.resolve(".complete");
    if (!Files.isRegularFile(complete)) {
      // the marker comes last, so an interrupted generation is never taken for a dataset
      deleteTree(data);
      SyntheticDataset.write(data, DATA);
      Files.writeString(complete, "");
      out.println("embedded default: generated " + DATA.items() + " cached items in " + data);
    }
    String runName = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path runFile = dir.resolve("run.conf");
    String template = new String(EmbeddedDefault.class.getResourceAsStream(RUN_FILE).readAllBytes(),
        StandardCharsets.UTF_8);
    Files.writeString(runFile, template
        .replace("${MODEL}", model.toString())
        .replace("${DATASET}", data.resolve(SyntheticDataset.CONFIG_FILE).toString())
        .replace("${OUTPUT}", dir.resolve("runs").resolve(runName).toString())
        .replace("${LOGS}", dir.resolve("logs").toString()), StandardCharsets.UTF_8);
    out.println("embedded default: run file " + runFile);
    out.flush();
    return runFile;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
