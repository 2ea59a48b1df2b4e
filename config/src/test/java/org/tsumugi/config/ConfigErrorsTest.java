package org.tsumugi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of mistake is refused naming the key, the file and line, and what is allowed. */
class ConfigErrorsTest {
  @TempDir
  Path dir;

  /** Loads a run file whose 5th line is {@code line} and returns the only problem reported. */
  private ConfigProblem onlyProblem(String... extraLines) {
    ConfigError error = assertThrows(ConfigError.class, () -> ConfigLoader.load(RunFiles.withRequired(dir,
        extraLines)));
    assertEquals(1, error.problems().size(), error.getMessage());
    return error.problems().get(0);
  }

  private static void assertProblem(ConfigProblem problem, String where, String key, String... fragments) {
    assertTrue(problem.where().endsWith(where), problem.toString());
    assertEquals(key, problem.key(), problem.toString());
    for (String fragment : fragments) {
      assertTrue(problem.message().contains(fragment), "[" + fragment + "] not in " + problem);
    }
  }

  @Test
  void refusesUnknownChoiceAsTheStyleGuideShows() {
    ConfigProblem p = onlyProblem("# a comment", "timestep_sampling = sigmoidd");
    assertTrue(p.toString().endsWith("run.conf:6: unknown timestep_sampling [sigmoidd]. Select one of [sigma, "
        + "uniform, sigmoid, shift, flux_shift, flux2_shift, qwen_shift, krea2_shift, ideogram4_shift, logsnr, "
        + "qinglong_flux, qinglong_qwen] Did you mean sigmoid?"), p.toString());
  }

  @Test
  void refusesUnknownKeyWithTheNearestName() {
    assertProblem(onlyProblem("learning_rat = 1e-4"), "run.conf:5", "learning_rat", "unknown option learning_rat",
        "Did you mean learning_rate?");
  }

  @Test
  void refusesReferenceOptionsTsumugiDoesNotImplementWithTheReason() {
    assertProblem(onlyProblem("max_train_steps = 10", "sdpa = true"), "run.conf:6", "sdpa",
        "sdpa is not supported by Tsumugi: attention backends");
    assertProblem(onlyProblem("sample_prompts = prompts.txt"), "run.conf:5", "sample_prompts",
        "not supported by Tsumugi: sample generation");
  }

  @Test
  void refusesWrongTypes() {
    assertProblem(onlyProblem("network_dim = \"abc\""), "run.conf:5", "network_dim",
        "network_dim must be an integer, got the string \"abc\"");
    assertProblem(onlyProblem("network_dim = 16.5"), "run.conf:5", "network_dim", "must be an integer");
    assertProblem(onlyProblem("gradient_checkpointing = 3"), "run.conf:5", "gradient_checkpointing",
        "must be true or false");
    assertProblem(onlyProblem("learning_rate = [1, 2]"), "run.conf:5", "learning_rate", "must be a number, got a list");
  }

  @Test
  void refusesValuesOutOfRange() {
    assertProblem(onlyProblem("network_dim = 0"), "run.conf:5", "network_dim", "at least 1, got 0");
    assertProblem(onlyProblem("learning_rate = 0"), "run.conf:5", "learning_rate", "greater than 0.0");
    assertProblem(onlyProblem("gradient_accumulation_steps = 0"), "run.conf:5", "gradient_accumulation_steps",
        "at least 1");
    assertProblem(onlyProblem("min_timestep = 1000"), "run.conf:5", "min_timestep", "from 0 to 999");
    assertProblem(onlyProblem("max_timestep = 0"), "run.conf:5", "max_timestep", "from 1 to 1000");
    assertProblem(onlyProblem("blocks_to_swap = -1"), "run.conf:5", "blocks_to_swap", "from 0 to 39");
    assertProblem(onlyProblem("task = t2v-1.3B", "blocks_to_swap = 30"), "run.conf:6", "blocks_to_swap",
        "from 0 to 29, got 30");
    assertProblem(onlyProblem("network_args = [\"rank_dropout=1.0\"]"), "run.conf:5", "network_args.rank_dropout",
        "must be in [0, 1)");
    assertProblem(onlyProblem("network_dropout = 1"), "run.conf:5", "network_dropout", "in [0.0, 1.0)");
    assertProblem(onlyProblem("runtime.save-cpu-share = 0"), "run.conf:5", "runtime.save-cpu-share",
        "greater than 0.0");
    assertProblem(onlyProblem("runtime { save-cpu-share = 1.5 }"), "run.conf:5", "runtime.save-cpu-share",
        "above 0 and at most 1, got 1.5");
  }

  @Test
  void refusesContradictoryOptions() {
    assertProblem(onlyProblem("fp8_scaled = true"), "run.conf:5", "fp8_scaled", "requires fp8_base");
    assertProblem(onlyProblem("min_timestep = 500", "max_timestep = 400"), "run.conf:5", "min_timestep",
        "min_timestep (500) must be below max_timestep (400)");
    assertProblem(onlyProblem("lr_warmup_steps = 10"), "run.conf:5", "lr_warmup_steps",
        "lr_scheduler constant takes no warmup");
    assertProblem(onlyProblem("lr_scheduler = cosine_with_min_lr"), "run.conf", "lr_scheduler_min_lr_ratio",
        "needs lr_scheduler_min_lr_ratio");
    assertProblem(onlyProblem("save_last_n_epochs = 3"), "run.conf:5", "save_last_n_epochs",
        "needs save_every_n_epochs");
    assertProblem(onlyProblem("save_every_n_steps = 100", "save_last_n_steps_state = 300"), "run.conf:6",
        "save_last_n_steps_state", "save_state = true");
    assertProblem(onlyProblem("timestep_sampling = shift", "weighting_scheme = logit_normal"), "run.conf:6",
        "weighting_scheme", "only shapes timestep_sampling sigma");
  }

  @Test
  void namesTheRunFileForAMissingRequiredOption() {
    Path file = RunFiles.write(dir, "run.conf", "dataset_config = d.toml\noutput_dir = out\noutput_name = x\n");
    ConfigError error = assertThrows(ConfigError.class, () -> ConfigLoader.load(file));
    assertEquals(1, error.problems().size(), error.getMessage());
    assertProblem(error.problems().get(0), "run.conf", "dit", "dit is required");
  }

  @Test
  void namesTheCommandLineForOverriddenValues() {
    ConfigError error = assertThrows(ConfigError.class, () -> ConfigLoader.load(RunFiles.withRequired(dir),
        "--network_dim", "0"));
    assertEquals("command line: network_dim must be at least 1, got 0", error.problems().get(0).toString());
  }

  @Test
  void reportsEveryProblemAtOnce() {
    ConfigError error = assertThrows(ConfigError.class, () -> ConfigLoader.load(RunFiles.withRequired(dir,
        "network_dim = 0", "learning_rat = 1", "optimizer_type = adamm")));
    assertEquals(3, error.problems().size(), error.getMessage());
    assertTrue(error.getMessage().contains("run.conf:7: unknown optimizer_type [adamm]"), error.getMessage());
  }

  @Test
  void refusesBadNetworkArgsAndOptimizerArgsWithTheirKey() {
    assertProblem(onlyProblem("network_args = [\"exclude_patterns=[r'.*\"]"), "run.conf:5",
        "network_args.exclude_patterns", "unterminated string");
    assertProblem(onlyProblem("network_args = [\"rank_dropuot=0.1\"]"), "run.conf:5", "network_args",
        "unknown network_args key rank_dropuot", "Did you mean rank_dropout?");
    assertProblem(onlyProblem("optimizer_args = [\"weight_decay=0.01=2\"]"), "run.conf:5", "optimizer_args",
        "exactly one '='");
    assertProblem(onlyProblem("optimizer_args = [\"betas=(0.9,\"]"), "run.conf:5", "optimizer_args.betas",
        "Python literal");
  }

  @Test
  void keepsLineNumbersInsideATsumugiBlockAndRefusesStrayTopLevelKeys() {
    Path file = RunFiles.write(dir, "run.conf", "tsumugi {\n" + RunFiles.REQUIRED + "  network_dim = -2\n}\n"
        + "pekko { loglevel = INFO }\nlearning_rate = 1\n");
    ConfigError error = assertThrows(ConfigError.class, () -> ConfigLoader.load(file));
    assertEquals(2, error.problems().size(), error.getMessage());
    assertProblem(error.problems().get(0), "run.conf:9", "learning_rate", "options go inside it");
    assertProblem(error.problems().get(1), "run.conf:6", "network_dim", "at least 1");
  }

  @Test
  void refusesHoconSyntaxErrorsNamingTheFile() {
    Path file = RunFiles.write(dir, "run.conf", RunFiles.REQUIRED + "network_dim = {\n");
    ConfigError error = assertThrows(ConfigError.class, () -> ConfigLoader.load(file));
    assertTrue(error.problems().get(0).where().contains("run.conf"), error.getMessage());
  }

  @Test
  void readsTheReferencesTomlConfigFileFlatteningTables() {
    Path file = RunFiles.write(dir, "run.toml", RunFiles.REQUIRED.replace("\n", "\n") + "[training]\n"
        + "learning_rate = 2e-4\nnetwork_dim = 32\n[extra]\nnetwork_dim_x = 3\n");
    ConfigError error = assertThrows(ConfigError.class, () -> ConfigLoader.load(file));
    assertEquals(1, error.problems().size(), error.getMessage());
    assertProblem(error.problems().get(0), "run.toml:9", "network_dim_x", "unknown option network_dim_x",
        "Did you mean network_dim?");
  }
}
