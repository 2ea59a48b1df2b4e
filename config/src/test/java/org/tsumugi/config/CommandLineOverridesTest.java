package org.tsumugi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineOverridesTest {
  @TempDir
  Path dir;

  @Test
  void commandLineValuesWinOverTheFile() {
    Path file = RunFiles.withRequired(dir, "learning_rate = 1e-5", "network_dim = 8", "max_train_steps = 500",
        "gradient_checkpointing = false");
    TsumugiConfig config = ConfigLoader.load(file, "--learning_rate", "2e-4", "--network_args", "rank_dropout=0.1",
        "loraplus_lr_ratio=4", "--gradient_checkpointing", "--max_train_steps", "10");
    assertEquals(2e-4, config.optimizer().learningRate());
    assertEquals(8, config.network().networkDim());
    assertEquals(10, config.training().maxTrainSteps());
    assertTrue(config.model().gradientCheckpointing());
    assertEquals(OptionalDouble.of(0.1), config.network().rankDropout());
    assertEquals(OptionalDouble.of(4.0), config.network().loraplusLrRatio());
    assertEquals(List.of("rank_dropout", "loraplus_lr_ratio"), List.copyOf(config.network().networkArgs().keySet()));
  }

  @Test
  void listOptionsTakeTokensUpToTheNextOption() {
    Config c = CommandLineOverrides.parse(new String[] {"--optimizer_args", "weight_decay=0.01", "betas=0.9,0.99",
        "--seed", "42", "--base_weights", "a.safetensors", "b.safetensors"});
    assertEquals(List.of("weight_decay=0.01", "betas=0.9,0.99"), c.getStringList("optimizer_args"));
    assertEquals("42", c.getString("seed"));
    assertEquals(List.of("a.safetensors", "b.safetensors"), c.getStringList("base_weights"));
    assertEquals("command line", c.getValue("seed").origin().description());
  }

  @Test
  void flagsTakeNoValueOrAnExplicitBoolean() {
    Path file = RunFiles.withRequired(dir, "fp8_base = true", "save_state = true");
    TsumugiConfig config = ConfigLoader.load(file, "--fp8_base", "false", "--save_state=false",
        "--gradient_checkpointing");
    assertFalse(config.model().fp8Base());
    assertTrue(config.model().gradientCheckpointing());
    ConfigError error = assertThrows(ConfigError.class, () -> ConfigLoader.load(file, "--fp8_base", "false",
        "--fp8_scaled"));
    assertEquals("command line: fp8_scaled requires fp8_base = true", error.problems().get(0).toString());
    assertFalse(config.save().saveState());
  }

  @Test
  void acceptsEqualsFormNegativeNumbersAndSections() {
    TsumugiConfig config = ConfigLoader.load(RunFiles.withRequired(dir), "--timestep_sampling=logsnr",
        "--logit_mean", "-6", "--logit_std", "2", "--runtime.http-port", "8080", "--seed", "4294967295",
        "--min_timestep", "100");
    assertEquals(TimestepSampling.LOGSNR, config.timesteps().timestepSampling());
    assertEquals(-6.0, config.timesteps().logitMean());
    assertEquals(OptionalInt.of(8080), config.runtime().httpPort());
    assertEquals(OptionalLong.of(4294967295L), config.training().seed());
    assertEquals(OptionalInt.of(100), config.timesteps().minTimestep());
  }

  @Test
  void refusesUnknownOptionsWithASuggestion() {
    ConfigError error = assertThrows(ConfigError.class, () -> CommandLineOverrides.parse(new String[] {
        "--learning-rate", "1e-4", "--netowrk_dim", "4", "--runtime.http-prt", "1"}));
    assertEquals(3, error.problems().size(), error.getMessage());
    assertEquals("command line: unknown option learning-rate. Did you mean learning_rate?",
        error.problems().get(0).toString());
    assertTrue(error.problems().get(1).message().contains("Did you mean network_dim?"));
    assertTrue(error.problems().get(2).message().contains("Did you mean runtime.http-port?"));
  }

  @Test
  void refusesUnsupportedOptionsMissingValuesAndStrayTokens() {
    ConfigError error = assertThrows(ConfigError.class, () -> CommandLineOverrides.parse(new String[] {
        "--xformers", "--seed", "--max_train_steps", "5", "10"}));
    assertEquals(3, error.problems().size(), error.getMessage());
    assertTrue(error.problems().get(0).message().startsWith("xformers is not supported by Tsumugi"));
    assertEquals("--seed needs a value", error.problems().get(1).message());
    assertTrue(error.problems().get(2).message().startsWith("unexpected value [10]"));
  }

  @Test
  void laterOccurrenceWinsAsWithArgparse() {
    Config c = CommandLineOverrides.parse(new String[] {"--network_dim", "4", "--network_dim", "16"});
    assertEquals(16, c.getInt("network_dim"));
  }
}
