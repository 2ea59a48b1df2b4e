package org.tsumugi.ops.monitor;

import java.nio.file.Files;
import java.nio.file.Path;
import org.tsumugi.actors.run.RunDirectory;

/**
 * Where a run's monitoring files live inside its run directory: the JSON-lines event log (what {@code tsumugi watch}
 * replays) and the heartbeat (what tells a live process from a dead one).
 */
public record RunFiles(Path runDir) {

  /**
   * The monitoring files of the run in {@code dir}: a run's output_dir keeps them in its {@code .tsumugi/} folder; a
   * directory without one is taken to hold them itself.
   */
  public static RunFiles of(Path dir) {
    Path meta = dir.resolve(RunDirectory.META);
    return new RunFiles(Files.isDirectory(meta) ? meta : dir);
  }

  public Path events() {
    return runDir.resolve("events.jsonl");
  }

  public Path heartbeat() {
    return runDir.resolve("heartbeat.json");
  }
}
