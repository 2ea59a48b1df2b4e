package org.tsumugi.engine.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.config.ConfigLoader;
import org.tsumugi.config.TsumugiConfig;
import org.tsumugi.config.dataset.DatasetConfig;

/**
 * The formats of single metadata values, each against Python's own text for it (reference/lora-and-ema.md §1.9:
 * {@code str()} of floats is their shortest repr, booleans True/False, None; §1.11 for modelspec), and the times:
 * always the run's recorded start, never the clock.
 */
class LoraMetadataTest {
  private static final long STARTED = 1_000_000_000_250L; // 2001-09-09T01:46:40.250Z, long before any test runs

  @TempDir
  Path dir;

  @Test
  void floatsAreWrittenAsPythonRepr() throws IOException {
    Map<String, String> m = save("learning_rate = 1e-5", "network_alpha = 16", "network_dropout = 0.1",
        "max_grad_norm = 0", "timestep_sampling = \"shift\"", "discrete_flow_shift = 7", "mode_scale = 1e-7",
        "lr_warmup_steps = 0.05", "lr_scheduler = \"linear\"");
    assertEquals("1e-05", m.get("ss_learning_rate"));
    assertEquals("16.0", m.get("ss_network_alpha"));
    assertEquals("0.1", m.get("ss_network_dropout"));
    assertEquals("0.0", m.get("ss_max_grad_norm"));
    assertEquals("7.0", m.get("ss_discrete_flow_shift"));
    assertEquals("1e-07", m.get("ss_mode_scale"));
    assertEquals("0.05", m.get("ss_lr_warmup_steps"));
    assertEquals("1.29", save("learning_rate = 1e-4").get("ss_mode_scale"));
    assertEquals("0.0001", save("learning_rate = 1e-4").get("ss_learning_rate"));
  }

  @Test
  void defaultsAreTheReferencesIntAlphaAndNone() throws IOException {
    Map<String, String> m = save();
    assertEquals("1", m.get("ss_network_alpha"), "the parser's default alpha is the int 1");
    assertEquals("2e-06", m.get("ss_learning_rate"));
    assertEquals("None", m.get("ss_network_dropout"));
    assertEquals("None", m.get("ss_training_comment"));
    assertEquals("0", m.get("ss_lr_warmup_steps"));
    assertFalse(m.containsKey("ss_network_args"), "ss_network_args only when network_args are given");
  }

  @Test
  void booleansAreTrueAndFalse() throws IOException {
    Map<String, String> on = save("gradient_checkpointing = true", "fp8_base = true");
    assertEquals("True", on.get("ss_gradient_checkpointing"));
    assertEquals("True", on.get("ss_fp8_base"));
    assertEquals("False", on.get("ss_gradient_checkpointing_cpu_offload"));
    assertEquals("False", on.get("ss_full_fp16"));
    assertEquals("False", on.get("ss_full_bf16"));
    Map<String, String> off = save();
    assertEquals("False", off.get("ss_gradient_checkpointing"));
    assertEquals("False", off.get("ss_fp8_base"));
  }

  @Test
  void trainingCommentIsTheTextAsGiven() throws IOException {
    assertEquals("first try: α=0.5, \"fast\"", save("training_comment = \"first try: α=0.5, \\\"fast\\\"\"")
        .get("ss_training_comment"));
  }

  @Test
  void networkArgsAreJsonOfTheGivenTextsInOrder() throws IOException {
    Map<String, String> m = save("network_args = [\"verbose=True\", \"rank_dropout=0.1\", \"loraplus_lr_ratio=4\"]");
    assertEquals("{\"verbose\": \"True\", \"rank_dropout\": \"0.1\", \"loraplus_lr_ratio\": \"4\"}",
        m.get("ss_network_args"));
  }

  @Test
  void timesAreTheRunsRecordedStartAtEverySave() throws IOException {
    LoraMetadata metadata = metadata(STARTED);
    for (long step : new long[] {10, 20, 1600}) {
      Map<String, String> m = metadata.forSave(step, 1);
      assertEquals("1000000000.25", m.get("ss_training_started_at"));
      assertEquals("1000000000.25", m.get("ss_training_finished_at"));
      // int(timestamp), then isoformat (in UTC)
      assertEquals("2001-09-09T01:46:40", m.get("modelspec.date"));
      assertEquals(Long.toString(step), m.get("ss_steps"));
    }
    assertEquals(metadata.forSave(10, 1), metadata(STARTED).forSave(10, 1), "built again: the same metadata");
    assertEquals("1000000001.0", metadata(STARTED + 750).forSave(10, 1).get("ss_training_started_at"));
    assertEquals("2001-09-09T01:46:41", metadata(STARTED + 750).forSave(10, 1).get("modelspec.date"));
  }

  @Test
  void stepsAndEpochAreTheSavesOwn() throws IOException {
    LoraMetadata metadata = metadata(STARTED);
    assertEquals("0", metadata.forSave(500, 0).get("ss_epoch"), "0-based at step saves, as given");
    assertEquals("40", metadata.forSave(1600, 40).get("ss_epoch"));
    assertEquals("1600", metadata.forSave(1600, 40).get("ss_steps"));
  }

  @Test
  void noMetadataKeepsTheMinimumKeysAndModelspec() throws IOException {
    Map<String, String> m = save("no_metadata = true", "network_dim = 8");
    assertEquals(List.of("ss_base_model_version", "ss_network_module", "ss_network_dim", "ss_network_alpha",
        "modelspec.sai_model_spec", "modelspec.architecture", "modelspec.implementation", "modelspec.title",
        "modelspec.resolution", "modelspec.date"), List.copyOf(m.keySet()));
    assertEquals("wan", m.get("ss_base_model_version"));
    assertEquals("networks.lora_wan", m.get("ss_network_module"));
    assertEquals("8", m.get("ss_network_dim"));
  }

  @Test
  void modelspecDefaultsForWan() throws IOException {
    Map<String, String> m = save();
    assertEquals("1.0.0", m.get("modelspec.sai_model_spec"));
    assertEquals("wan2.1/lora", m.get("modelspec.architecture"));
    assertEquals("https://github.com/Wan-Video/Wan2.1", m.get("modelspec.implementation"));
    assertEquals("my-lora", m.get("modelspec.title"), "output_name when metadata_title is unset");
    assertEquals("1280x720", m.get("modelspec.resolution"));
    for (String absent : List.of("author", "description", "license", "tags", "timestep_range", "prediction_type",
        "encoder_layer", "merged_from", "hash_sha256")) {
      assertFalse(m.containsKey("modelspec." + absent), "modelspec." + absent + " only when given");
    }
  }

  @Test
  void modelspecTakesTheMetadataOptions() throws IOException {
    Map<String, String> m = save("metadata_reso = \"512\"", "metadata_arch = \"my-wan\"", "max_timestep = 900");
    assertEquals("512x512", m.get("modelspec.resolution"), "one number is a square");
    assertEquals("my-wan/lora", m.get("modelspec.architecture"));
    assertEquals("0,900", m.get("modelspec.timestep_range"), "an unset min is 0");
    assertEquals("100,1000", save("min_timestep = 100").get("modelspec.timestep_range"), "an unset max is 1000");
  }

  @Test
  void modelNameIsTheBaseNameOfAnExistingDitElseTheTextGiven() throws IOException {
    Path dit = Files.writeString(Files.createDirectories(dir.resolve("models")).resolve("wan.safetensors"), "");
    assertEquals("wan.safetensors", save("dit = \"" + dit + "\"").get("ss_sd_model_name"));
    assertEquals("/nowhere/wan.safetensors", save("dit = \"/nowhere/wan.safetensors\"").get("ss_sd_model_name"));
  }

  private Map<String, String> save(String... lines) throws IOException {
    return metadata(STARTED, lines).forSave(100, 1);
  }

  private LoraMetadata metadata(long startedAtMillis, String... lines) throws IOException {
    Path dataset = Files.writeString(dir.resolve("dataset.toml"),
        "[[datasets]]\nvideo_directory = \"" + dir.resolve("videos") + "\"\n");
    String run = String.join("\n", "dit = \"/nowhere/wan.safetensors\"", "dataset_config = \"" + dataset + "\"",
        "output_dir = \"" + dir.resolve("out") + "\"", "output_name = \"my-lora\"", String.join("\n", lines));
    TsumugiConfig config = ConfigLoader.load(Files.writeString(dir.resolve("run.conf"), run + "\n"));
    return LoraMetadata.of(config, DatasetConfig.load(dataset),
        new LoraMetadata.RunFacts(startedAtMillis, 5, 10, 10, 160, 1600));
  }
}
