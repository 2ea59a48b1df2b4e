package org.tsumugi.engine.ema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The order checkpoints are merged in (reference/lora-and-ema.md §2 step 1). */
public final class CheckpointOrder {
  private CheckpointOrder() {}

  /**
   * Oldest first by modification time, stable (equal times keep the given order). Times are compared as the
   * reference's {@code os.path.getmtime} sees them: seconds as a double, so times closer than its resolution tie.
   */
  public static List<Path> byModificationTime(List<Path> paths) throws IOException {
    Map<Path, Double> mtime = new HashMap<>();
    for (Path p : paths) {
      mtime.put(p, seconds(Files.getLastModifiedTime(p)));
    }
    List<Path> sorted = new ArrayList<>(paths);
    sorted.sort(Comparator.comparingDouble(mtime::get));
    return List.copyOf(sorted);
  }

  private static double seconds(FileTime time) {
    Instant instant = time.toInstant();
    return (double) instant.getEpochSecond() + instant.getNano() * 1e-9;
  }
}
