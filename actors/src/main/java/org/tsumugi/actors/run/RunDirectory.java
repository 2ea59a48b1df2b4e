package org.tsumugi.actors.run;

import java.nio.file.Path;

/**
 * A run's directory: {@code output_dir} itself holds the LoRA files and the state directories under the reference's
 * names; {@code output_dir/.tsumugi/} holds what only Tsumugi reads:
 *
 * <pre>
 * .tsumugi/run.lock          held by the process running the run (a second process is refused)
 * .tsumugi/launch/launch.json how the run was started (run file, overrides, seed, start time, working directory)
 * .tsumugi/launch/run.conf   a copy of the run file (or run.toml)
 * .tsumugi/ledger/journal    the run ledger (RocksDB journal of the RunSupervisor)
 * .tsumugi/ledger/snapshots  its snapshot store
 * .tsumugi/events.jsonl      the ledger's events as JSON lines, and .tsumugi/heartbeat.json rewritten while the
 *                            run is alive (both written by the monitor, read by {@code tsumugi watch})
 * </pre>
 */
public record RunDirectory(Path outputDir) {
  public static final String META = ".tsumugi";

  public RunDirectory {
    outputDir = outputDir.toAbsolutePath().normalize();
  }

  public Path meta() {
    return outputDir.resolve(META);
  }

  public Path lockFile() {
    return meta().resolve("run.lock");
  }

  public Path launchDir() {
    return meta().resolve("launch");
  }

  public Path launchFile() {
    return launchDir().resolve("launch.json");
  }

  public Path journal() {
    return meta().resolve("ledger").resolve("journal");
  }

  public Path snapshots() {
    return meta().resolve("ledger").resolve("snapshots");
  }

  /** A file or directory of the run by its name relative to output_dir. */
  public Path resolve(String name) {
    return outputDir.resolve(name);
  }
}
