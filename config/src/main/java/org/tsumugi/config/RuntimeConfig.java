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
 */
public record RuntimeConfig(int dataLoaderReadAhead, OptionalInt httpPort, Duration heartbeatInterval,
    OptionalInt computeThreads) {

  static RuntimeConfig read(OptionReader r) {
    int readAhead = r.intAtLeast("runtime.data-loader-read-ahead", 1);
    OptionalInt port = r.optionalIntBetween("runtime.http-port", 0, 65535);
    Duration heartbeat = r.duration("runtime.heartbeat-interval");
    r.require(!heartbeat.isNegative() && !heartbeat.isZero(), "runtime.heartbeat-interval",
        "runtime.heartbeat-interval must be positive, got " + heartbeat);
    OptionalInt threads = r.optionalIntBetween("runtime.compute-threads", 1, 1024);
    return new RuntimeConfig(readAhead, port, heartbeat, threads);
  }
}
