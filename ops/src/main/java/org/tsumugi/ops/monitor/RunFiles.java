package org.tsumugi.ops.monitor;

import java.nio.file.Path;

/**
 * Where a run's monitoring files live inside its run directory: the JSON-lines event log (what {@code tsumugi watch}
 * replays) and the heartbeat (what tells a live process from a dead one).
 */
public record RunFiles(Path runDir) {

  public Path events() {
    return runDir.resolve("events.jsonl");
  }

  public Path heartbeat() {
    return runDir.resolve("heartbeat.json");
  }
}
