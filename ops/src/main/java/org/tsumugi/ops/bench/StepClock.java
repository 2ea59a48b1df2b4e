package org.tsumugi.ops.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tsumugi.engine.model.TrainingExecutor;

/**
 * Where one training step's wall time went, from the computing thread's point of view (libtorch computes on the
 * caller with one compute thread): its own CPU time, time it was runnable but waiting for a core (Linux schedstat:
 * other processes, or this one's prefetch thread), time it waited for streamed weights, and the CPU the process's
 * other threads used (prefetch, GC, JIT).
 */
record StepClock(long wallNanos, long computeNanos, long runQueueNanos, long processNanos, double weightWaitSeconds) {

  /** One step's figures in seconds. */
  record Step(double wall, double compute, double runQueue, double otherThreads, double weightWait) {}

  static StepClock now(TrainingExecutor executor) {
    return new StepClock(System.nanoTime(), ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(),
        threadRunQueueNanos(), ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime(), executor.weightWaitSeconds());
  }

  Step since(StepClock start) {
    long compute = computeNanos - start.computeNanos;
    return new Step((wallNanos - start.wallNanos) / 1e9, compute / 1e9, (runQueueNanos - start.runQueueNanos) / 1e9,
        (processNanos - start.processNanos - compute) / 1e9, weightWaitSeconds - start.weightWaitSeconds);
  }

  /** Nanoseconds this thread has spent runnable on a run queue (second field of /proc/thread-self/schedstat). */
  private static long threadRunQueueNanos() {
    try {
      return Long.parseLong(Files.readString(Path.of("/proc/thread-self/schedstat")).trim().split("\\s+")[1]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
