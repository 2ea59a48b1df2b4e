package org.tsumugi.engine.lora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.config.PythonJson;
import org.tsumugi.config.dataset.DatasetConfig;
import org.tsumugi.config.dataset.DatasetSpec;

/**
 * ss_datasets: json.dumps of each dataset's get_metadata() (reference/lora-and-ema.md §1.9), and has_control as the
 * reference's datasources decide it.
 */
class LoraMetadataDatasetsTest {
  @TempDir
  Path dir;

  @Test
  void imageDatasetIsJsonWithPythonSpacingKeyOrderAndAsciiEscapes() throws IOException {
    DatasetConfig config = datasets("""
        [[datasets]]
        image_directory = "%s/写真"
        resolution = 768
        caption_extension = ".txt"
        num_repeats = 2
        bucket_no_upscale = true
        """);
    // bucket_no_upscale is forced off without enable_bucket, as the reference's BaseDataset does.
    assertEquals("[{\"resolution\": [768, 768], \"caption_extension\": \".txt\", \"batch_size_per_device\": 1,"
        + " \"num_repeats\": 2, \"enable_bucket\": false, \"bucket_no_upscale\": false,"
        + " \"image_directory\": \"\\u5199\\u771f\", \"has_control\": false}]",
        PythonJson.dumps(DatasetMetadata.of(config)));
  }

  @Test
  void directoryDatasetsHaveControlWhenTheyNameAControlDirectory() throws IOException {
    DatasetConfig config = datasets("""
        [[datasets]]
        video_directory = "%1$s/v"
        control_directory = "%1$s/c"

        [[datasets]]
        image_directory = "%1$s/i"
        """);
    assertTrue(DatasetMetadata.hasControl(config.datasets().get(0)));
    assertFalse(DatasetMetadata.hasControl(config.datasets().get(1)));
  }

  @Test
  void imageJsonlHasControlWhenAnItemNamesControlPathOrANumberedOne() throws IOException {
    assertTrue(imageJsonl("{\"image_path\": \"a.png\"}\n{\"image_path\": \"b.png\", \"control_path_1\": \"c.png\"}\n"));
    assertTrue(imageJsonl("{\"image_path\": \"a.png\", \"control_path\": \"c.png\"}\n"));
    assertFalse(imageJsonl("{\"image_path\": \"a.png\", \"caption\": \"control_path\"}\n\n"));
  }

  @Test
  void videoJsonlHasControlOnlyForControlPath() throws IOException {
    assertTrue(videoJsonl("{\"video_path\": \"a.mp4\", \"control_path\": \"c.mp4\"}\n"));
    assertFalse(videoJsonl("{\"video_path\": \"a.mp4\", \"control_path_0\": \"c.mp4\"}\n"));
  }

  @Test
  void jsonlDatasetIgnoresItsControlDirectoryForHasControl() throws IOException {
    Files.writeString(dir.resolve("clips.jsonl"), "{\"video_path\": \"a.mp4\"}\n");
    DatasetConfig config = datasets("""
        [[datasets]]
        video_jsonl_file = "%1$s/clips.jsonl"
        cache_directory = "%1$s/cache"
        control_directory = "%1$s/c"
        """);
    assertFalse(DatasetMetadata.hasControl(config.datasets().get(0)));
    assertTrue(PythonJson.dumps(DatasetMetadata.of(config)).contains("\"control_directory\": \"c\""),
        "the key is written all the same");
  }

  @Test
  void unreadableJsonlCountsAsWithoutControl() throws IOException {
    DatasetSpec spec = datasets("""
        [[datasets]]
        video_jsonl_file = "%1$s/missing.jsonl"
        cache_directory = "%1$s/cache"
        """).datasets().get(0);
    assertFalse(DatasetMetadata.hasControl(spec));
  }

  private boolean imageJsonl(String lines) throws IOException {
    Files.writeString(dir.resolve("stills.jsonl"), lines);
    return DatasetMetadata.hasControl(datasets("""
        [[datasets]]
        image_jsonl_file = "%1$s/stills.jsonl"
        cache_directory = "%1$s/cache"
        """).datasets().get(0));
  }

  private boolean videoJsonl(String lines) throws IOException {
    Files.writeString(dir.resolve("clips.jsonl"), lines);
    return DatasetMetadata.hasControl(datasets("""
        [[datasets]]
        video_jsonl_file = "%1$s/clips.jsonl"
        cache_directory = "%1$s/cache"
        """).datasets().get(0));
  }

  private DatasetConfig datasets(String toml) throws IOException {
    return DatasetConfig.load(Files.writeString(dir.resolve("dataset.toml"), toml.formatted(dir)));
  }
}
