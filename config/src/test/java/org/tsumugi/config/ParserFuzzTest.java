package org.tsumugi.config;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.config.dataset.DatasetConfig;

/** Garbage fed to every parser of outside text ends in a ConfigError or a value, never another exception. */
class ParserFuzzTest {
  private static final String LITERAL_ALPHABET = "rRuUbBfF'\"\\()[]{},.:_-+eExXoOjJN0123456789 \n\tTrueFalseNone";
  private static final String TOML_ALPHABET = "[]{}=\"'.,#\n \t-+_:0123456789abcdefghijklmnopqrstuvwxyz\\";
  private static final List<String> SEEDS = List.of("[r'.*single_blocks.*', r'.*double_blocks\\.[0-9]\\..*']",
      "(0.9,0.999)", "0.9,0.999", "'1:10,0.1:20,0.01'", "True", "None", "-1e-4", "0x1F", "'''a\\N{BULLET}'''");

  @TempDir
  Path dir;

  @Test
  void pythonLiteralsFailOnlyWithConfigError() {
    Random random = new Random(20240611L);
    KeyLocation at = new KeyLocation("optimizer_args.x", "command line");
    int accepted = 0;
    for (int i = 0; i < 10_000; i++) {
      String text = i % 2 == 0 ? randomText(random, LITERAL_ALPHABET, 1 + random.nextInt(30))
          : mutate(random, SEEDS.get(random.nextInt(SEEDS.size())), LITERAL_ALPHABET);
      try {
        PythonLiteral.parse(text, at);
        accepted++;
      } catch (ConfigError expected) {
        assertTrue(expected.getMessage().startsWith("command line: optimizer_args.x"), expected.getMessage());
      } catch (RuntimeException | StackOverflowError e) {
        fail("[" + text + "] threw " + e, e);
      }
    }
    assertTrue(accepted > 50, "the generator should also produce valid literals, got " + accepted);
  }

  @Test
  void datasetFilesFailOnlyWithConfigError() throws IOException {
    Random random = new Random(7L);
    String valid = org.tsumugi.config.dataset.DatasetConfigTestFixtures.TOML;
    for (int i = 0; i < 200; i++) {
      String text = i % 2 == 0 ? randomText(random, TOML_ALPHABET, 1 + random.nextInt(200))
          : mutate(random, valid, TOML_ALPHABET);
      Path file = Files.writeString(dir.resolve(i % 4 < 2 ? "d.toml" : "d.conf"), text);
      try {
        DatasetConfig.load(file);
      } catch (ConfigError expected) {
        assertTrue(!expected.problems().isEmpty());
      } catch (RuntimeException | StackOverflowError e) {
        fail("[" + text + "] threw " + e, e);
      }
    }
  }

  @Test
  void runFilesAndCommandLinesFailOnlyWithConfigError() throws IOException {
    Random random = new Random(3L);
    String valid = RunFiles.REQUIRED + "network_dim = 32\nnetwork_args = [\"rank_dropout=0.1\"]\n"
        + "lr_scheduler = cosine\nlr_warmup_steps = \"10%\"\ntimestep_sampling = shift\nmin_timestep = 100\n"
        + "optimizer_args = [\"betas=(0.9,0.99)\"]\nsave_every_n_steps = 100\nsave_last_n_steps = 300\n"
        + "runtime { heartbeat-interval = 5s }\n";
    for (int i = 0; i < 150; i++) {
      String text = mutate(random, valid, TOML_ALPHABET);
      Path file = Files.writeString(dir.resolve(i % 3 == 0 ? "run.toml" : "run.conf"), text);
      String[] args = mutate(random, "--seed 1 --network_args verbose=True --fp8_base", "-= abc19").split(" ");
      try {
        ConfigLoader.load(file, args);
      } catch (ConfigError expected) {
        assertTrue(!expected.problems().isEmpty());
      } catch (RuntimeException | StackOverflowError e) {
        fail("[" + text + "] " + List.of(args) + " threw " + e, e);
      }
    }
  }

  @Test
  void networkArgsAndStepCountsFailOnlyWithConfigError() {
    Random random = new Random(99L);
    KeyLocation at = new KeyLocation("network_args", "command line");
    for (int i = 0; i < 5_000; i++) {
      String text = mutate(random, "exclude_patterns=[r'.*']", LITERAL_ALPHABET + "=%");
      try {
        NetworkArgs.parse(List.of(text), at);
        StepCount.parse(text.substring(Math.min(text.length(), 17)), at);
      } catch (ConfigError expected) {
        assertTrue(expected.getMessage().startsWith("command line: "), expected.getMessage());
      } catch (RuntimeException | StackOverflowError e) {
        fail("[" + text + "] threw " + e, e);
      }
    }
  }

  private static String randomText(Random random, String alphabet, int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(random.nextInt(20) == 0 ? (char) random.nextInt(0x3000) : alphabet.charAt(
          random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  /** A few random deletions, insertions and replacements, so most inputs stay close to valid. */
  private static String mutate(Random random, String seed, String alphabet) {
    StringBuilder out = new StringBuilder(seed);
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int at = out.length() == 0 ? 0 : random.nextInt(out.length());
      char c = alphabet.charAt(random.nextInt(alphabet.length()));
      switch (random.nextInt(3)) {
        case 0 -> {
          if (out.length() > 0) {
            out.deleteCharAt(at);
          }
        }
        case 1 -> out.insert(at, c);
        default -> {
          if (out.length() > 0) {
            out.setCharAt(at, c);
          }
        }
      }
    }
    return out.toString();
  }
}
