package org.tsumugi.engine.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tsumugi's LoRA metadata against what musubi-tuner's own code wrote for the same runs (reference-metadata.json; see
 * make_reference_metadata.py beside it): every key, every value byte for byte, at step saves and the final save.
 * The reference's random ss_session_id is checked on its own.
 */
class LoraMetadataReferenceTest {
  @TempDir
  Path dir;

  static List<ReferenceRun> runs() {
    return ReferenceRun.all();
  }

  @ParameterizedTest
  @MethodSource("runs")
  void writesTheReferencesMetadataAtEverySave(ReferenceRun run) {
    LoraMetadata metadata = run.metadata(dir);
    for (ReferenceRun.Save save : run.saves()) {
      Map<String, String> actual = new TreeMap<>(metadata.forSave(save.steps(), save.epoch()));
      actual.remove("ss_session_id");
      Map<String, String> expected = new TreeMap<>(ReferenceRun.expected(save, dir));
      List<String> differences = differences(expected, actual);
      if (!differences.isEmpty()) {
        fail(run + ", save at step " + save.steps() + ":\n  " + String.join("\n  ", differences));
      }
    }
  }

  /**
   * The keys of a Wan run without network_args (ss_network_args) or vae (ss_vae_name), as the reference's training
   * loop lists them, then the three it adds at each save, then sai_model_spec's six unconditional modelspec keys.
   */
  private static final List<String> DEFAULT_RUN_KEYS = List.of("ss_session_id", "ss_training_started_at",
      "ss_output_name", "ss_learning_rate", "ss_num_train_items", "ss_num_batches_per_epoch", "ss_num_epochs",
      "ss_gradient_checkpointing", "ss_gradient_checkpointing_cpu_offload", "ss_gradient_accumulation_steps",
      "ss_max_train_steps", "ss_lr_warmup_steps", "ss_lr_scheduler", "ss_base_model_version", "ss_network_module",
      "ss_network_dim", "ss_network_alpha", "ss_network_dropout", "ss_mixed_precision", "ss_seed",
      "ss_training_comment", "ss_optimizer", "ss_max_grad_norm", "ss_fp8_base", "ss_full_fp16", "ss_full_bf16",
      "ss_weighting_scheme", "ss_logit_mean", "ss_logit_std", "ss_mode_scale", "ss_guidance_scale",
      "ss_timestep_sampling", "ss_sigmoid_scale", "ss_discrete_flow_shift", "ss_datasets", "ss_sd_model_name",
      "ss_training_finished_at", "ss_steps", "ss_epoch",
      "modelspec.sai_model_spec", "modelspec.architecture", "modelspec.implementation", "modelspec.title",
      "modelspec.resolution", "modelspec.date");

  @Test
  void defaultWanRunHasExactlyTheReferencesKeys() {
    ReferenceRun run = ReferenceRun.named("default");
    ReferenceRun.Save finalSave = run.saves().get(run.saves().size() - 1);
    Set<String> fromReference = new TreeSet<>(finalSave.metadata().keySet());
    fromReference.add("ss_session_id");
    assertEquals(new TreeSet<>(DEFAULT_RUN_KEYS), fromReference, "the fixture's keys");
    List<String> actual = List.copyOf(run.metadata(dir).forSave(finalSave.steps(), finalSave.epoch()).keySet());
    // The order is Tsumugi's (the reference's header order is its hash map's); keeping the reference's list order
    // keeps files comparable by eye.
    assertEquals(DEFAULT_RUN_KEYS, actual);
  }

  @Test
  void sessionIdIsAThirtyTwoBitNumberDrawnFromTheSeed() {
    ReferenceRun run = ReferenceRun.named("default");
    String id = run.metadata(dir).forSave(1, 0).get("ss_session_id");
    long value = Long.parseLong(id);
    // The reference draws random.randint(0, 2**32); Tsumugi derives it from the seed so a resumed run writes the same.
    assertTrue(value >= 0 && value <= (1L << 32), "ss_session_id " + id + " in [0, 2^32]");
    assertEquals(Long.toString(value), id, "plain decimal");
    assertEquals(id, run.metadata(dir.resolve("again")).forSave(1, 0).get("ss_session_id"));
    assertEquals(LoraMetadata.sessionId(run.seed()), value);
    assertNotEquals(LoraMetadata.sessionId(run.seed()), LoraMetadata.sessionId(run.seed() + 1));
  }

  /** Each differing key with both values, so that a failure reads as a diff. */
  private static List<String> differences(Map<String, String> expected, Map<String, String> actual) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : expected.entrySet()) {
      if (!actual.containsKey(e.getKey())) {
        out.add("missing " + e.getKey() + " = " + e.getValue());
      } else if (!actual.get(e.getKey()).equals(e.getValue())) {
        out.add(e.getKey() + ": expected [" + e.getValue() + "] but was [" + actual.get(e.getKey()) + "]");
      }
    }
    actual.keySet().stream().filter(k -> !expected.containsKey(k))
        .forEach(k -> out.add("extra " + k + " = " + actual.get(k)));
    return out;
  }
}
