package org.tsumugi.ops.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.tsumugi.actors.training.GeneratedRun;
import org.tsumugi.engine.data.SyntheticDataset;

/**
 * A run file for command tests: a generated 2-block Wan DiT of width 32 and six cached items (the reference's cache
 * format) in batches of two, written under a directory; output to {@code out/} there, named {@code tiny}.
 */
public final class TinyRunFile {
  private TinyRunFile() {}

  /** Writes the model, the dataset and {@code dir/run.conf} with {@code options} as its last lines. */
  public static Path write(Path dir, String... options) throws IOException {
    List<String> lines = new ArrayList<>(List.of("runtime.compute-threads = 1"));
    lines.addAll(List.of(options));
    return GeneratedRun.writeTiny(dir, lines);
  }

  /** The first cache file (in name order) of the dataset {@link #write} wrote under {@code dir}. */
  public static Path firstLatentCache(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("data").resolve(SyntheticDataset.CACHE_DIRECTORY))) {
      return files.filter(p -> p.getFileName().toString().endsWith("_wan.safetensors")).sorted().findFirst()
          .orElseThrow(() -> new AssertionError("no latent cache under " + dir));
    }
  }
}
