package org.tsumugi.engine.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tsumugi.config.ConfigLoader;
import org.tsumugi.config.TsumugiConfig;
import org.tsumugi.config.dataset.DatasetConfig;
import org.tsumugi.engine.train.StepPlan;

/**
 * One run of reference-metadata.json (made by make_reference_metadata.py beside it from musubi-tuner's own metadata
 * code): the Tsumugi run file and dataset file meaning what the reference's options meant, the files they name, the
 * facts the run knows, and the metadata the reference wrote at each save. {@code ${DIR}} stands for the run's
 * directory.
 */
record ReferenceRun(String name, String runConf, String datasetToml, Map<String, String> files, long seed,
    int numTrainItems, int batchesPerEpoch, List<Save> saves) {

  static final String RESOURCE = "reference-metadata.json";

  /** One save: its ss_steps and ss_epoch arguments and the metadata (without the random ss_session_id). */
  record Save(long steps, long epoch, Map<String, String> metadata) {}

  @Override
  public String toString() {
    return name;
  }

  static long startedAtMillis() {
    return root().get("started_at_millis").asLong();
  }

  static List<ReferenceRun> all() {
    List<ReferenceRun> runs = new ArrayList<>();
    for (JsonNode s : root().get("scenarios")) {
      List<Save> saves = new ArrayList<>();
      for (JsonNode save : s.get("saves")) {
        saves.add(new Save(save.get("steps").asLong(), save.get("epoch").asLong(), strings(save.get("metadata"))));
      }
      runs.add(new ReferenceRun(s.get("name").asText(), s.get("run_conf").asText(), s.get("dataset_toml").asText(),
          strings(s.get("files")), s.get("seed").asLong(), s.get("num_train_items").asInt(),
          s.get("batches_per_epoch").asInt(), saves));
    }
    return runs;
  }

  static ReferenceRun named(String name) {
    return all().stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException(RESOURCE + " has no scenario " + name));
  }

  /** Writes the run's files into {@code dir} and builds its metadata as a run started at the recorded time would. */
  LoraMetadata metadata(Path dir) {
    return metadata(dir, startedAtMillis());
  }

  LoraMetadata metadata(Path dir, long startedAtMillis) {
    try {
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path p = dir.resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.writeString(p, in(dir, f.getValue()));
      }
      Path dataset = Files.writeString(dir.resolve("dataset.toml"), in(dir, datasetToml));
      TsumugiConfig config = ConfigLoader.load(Files.writeString(dir.resolve("run.conf"), in(dir, runConf)));
      StepPlan plan = StepPlan.of(batchesPerEpoch, config.training().gradientAccumulationSteps(),
          config.training().maxTrainSteps(), config.training().maxTrainEpochs());
      return LoraMetadata.of(config, DatasetConfig.load(dataset), new LoraMetadata.RunFacts(startedAtMillis, seed,
          numTrainItems, plan.batchesPerEpoch(), plan.numTrainEpochs(), plan.maxTrainSteps()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The reference's metadata of {@code save} with {@code ${DIR}} replaced by {@code dir}. */
  static Map<String, String> expected(Save save, Path dir) {
    Map<String, String> out = new LinkedHashMap<>();
    save.metadata().forEach((k, v) -> out.put(k, in(dir, v)));
    return out;
  }

  private static String in(Path dir, String text) {
    return text.replace("${DIR}", dir.toString());
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static JsonNode root() {
    try (InputStream in = ReferenceRun.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("test resource " + RESOURCE + " not found beside " + ReferenceRun.class);
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
