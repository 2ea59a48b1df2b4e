package org.tsumugi.config.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.config.ConfigError;
import org.tsumugi.config.ConfigProblem;

class DatasetConfigErrorsTest {
  @TempDir
  Path dir;

  private ConfigProblem onlyProblem(String name, String text) throws IOException {
    Path file = Files.writeString(dir.resolve(name), text);
    ConfigError error = assertThrows(ConfigError.class, () -> DatasetConfig.load(file));
    assertEquals(1, error.problems().size(), error.getMessage());
    return error.problems().get(0);
  }

  private static void assertProblem(ConfigProblem p, String where, String... fragments) {
    assertTrue(p.where().endsWith(where), p.toString());
    for (String fragment : fragments) {
      assertTrue(p.message().contains(fragment), "[" + fragment + "] not in " + p);
    }
  }

  @Test
  void refusesUnknownKeysNamingFileAndLine() throws IOException {
    assertProblem(onlyProblem("d.toml", "[general]\nbatch_size = 2\n\n[[datasets]]\nimage_dir = \"x\"\n"
        + "image_directory = \"y\"\n"), "d.toml:5", "unknown key image_dir in [[datasets]] #1",
        "Did you mean image_directory?");
    assertProblem(onlyProblem("d.conf", "datasets = [\n  {\n    image_directory = y\n    num_repeat = 2\n  }\n]\n"),
        "d.conf:4", "unknown key num_repeat", "Did you mean num_repeats?");
  }

  @Test
  void refusesKeysOfTheOtherDatasetKindAndOfDatasetsInGeneral() throws IOException {
    assertProblem(onlyProblem("d.toml", "[[datasets]]\nimage_directory = \"i\"\ntarget_frames = [1]\n"), "d.toml:3",
        "target_frames", "video dataset key");
    assertProblem(onlyProblem("d.toml", "[general]\ncache_directory = \"c\"\n[[datasets]]\nimage_directory = \"i\"\n"),
        "d.toml:2", "cache_directory", "belongs in each [[datasets]] entry");
  }

  @Test
  void refusesWrongTypesAndValues() throws IOException {
    assertProblem(onlyProblem("d.toml", "[[datasets]]\nimage_directory = \"i\"\nbatch_size = \"1\"\n"), "d.toml:3",
        "batch_size in [[datasets]] #1 must be an integer, got the string \"1\"");
    assertProblem(onlyProblem("d.toml", "[[datasets]]\nimage_directory = \"i\"\nresolution = [1, 2, 3]\n"),
        "d.toml:3", "resolution", "[width, height]");
    assertProblem(onlyProblem("d.toml", "[[datasets]]\nvideo_directory = \"v\"\ntarget_frames = [1, 0]\n"),
        "d.toml:3", "target_frames", "at least 1");
    assertProblem(onlyProblem("d.toml", "[[datasets]]\nvideo_directory = \"v\"\nframe_extraction = \"heads\"\n"),
        "d.toml:3", "unknown frame_extraction [heads]", "[head, chunk, slide, uniform, full]");
    assertProblem(onlyProblem("d.toml", "[general]\nenable_bucket = 1\n[[datasets]]\nimage_directory = \"i\"\n"),
        "d.toml:2", "enable_bucket in [general] must be true or false");
  }

  @Test
  void refusesSharedCacheDirectoriesAndJsonlWithoutCache() throws IOException {
    assertProblem(onlyProblem("d.toml", "[[datasets]]\nimage_directory = \"a\"\ncache_directory = \"c\"\n\n"
        + "[[datasets]]\nvideo_directory = \"b\"\ncache_directory = \"c\"\n"), "d.toml:7",
        "also the cache directory of [[datasets]] #1");
    assertProblem(onlyProblem("d.toml", "[[datasets]]\nimage_jsonl_file = \"m.jsonl\"\n"), "d.toml:2",
        "needs cache_directory");
    assertProblem(onlyProblem("d.toml", "[general]\nbatch_size = 1\n"), "d.toml", "at least one entry");
  }

  @Test
  void reportsTomlSyntaxErrorsWithTheirLine() throws IOException {
    assertProblem(onlyProblem("d.toml", "[general]\nbatch_size = 1\nresolution = [960, \n\n[[datasets]\n"),
        "d.toml:5", "TOML syntax");
  }
}
