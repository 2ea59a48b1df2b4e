package org.tsumugi.config;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * Tsumugi-only runtime settings ({@code tsumugi.runtime}; no reference counterpart).
 *
 * @param dataLoaderReadAhead batches the DataLoader prepares ahead of the trainer
 * @param httpPort port of the live monitoring page; empty = no page, 0 = any free port
 * @param heartbeatInterval how often a running trainer reports that it is alive
 * @param computeThreads libtorch threads of the trainer's computation; empty = one per core
 * @param saveCpuShare share of one core a checkpoint or state save may use while training runs (1 = no limit)
 */
public record RuntimeConfig(int dataLoaderReadAhead, OptionalInt httpPort, Duration heartbeatInterval,
    OptionalInt computeThreads, double saveCpuShare) {

  static RuntimeConfig read(OptionReader r) {
    int readAhead = r.intAtLeast("runtime.data-loader-read-ahead", 1);
    OptionalInt port = r.optionalIntBetween("runtime.http-port", 0, 65535);
    Duration heartbeat = r.duration("runtime.heartbeat-interval");
    r.require(!heartbeat.isNegative() && !heartbeat.isZero(), "runtime.heartbeat-interval",
        "runtime.heartbeat-interval must be positive, got " + heartbeat);
    OptionalInt threads = r.optionalIntBetween("runtime.compute-threads", 1, 1024);
    double saveShare = r.numberAbove("runtime.save-cpu-share", 0);
    r.require(saveShare <= 1, "runtime.save-cpu-share",
        "runtime.save-cpu-share is a share of one core: above 0 and at most 1, got " + saveShare);
    return new RuntimeConfig(readAhead, port, heartbeat, threads, saveShare);
  }
}
