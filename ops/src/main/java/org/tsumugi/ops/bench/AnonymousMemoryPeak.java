package org.tsumugi.ops.bench;

import org.tsumugi.engine.tensor.ProcessMemory;

/**
 * The highest anonymous resident memory (Java heap and native allocations, without memory-mapped file pages, which
 * the kernel can drop at any time) seen while it runs, sampled every 10 ms on a daemon thread. VmHWM cannot tell a
 * process that holds data from one that merely reads mapped files.
 */
public final class AnonymousMemoryPeak {
  private final Thread sampler;
  private volatile boolean running = true;
  private volatile double maxMiB;

  private AnonymousMemoryPeak() {
    sampler = new Thread(this::sample, "anonymous-memory-peak");
    sampler.setDaemon(true);
  }

  public static AnonymousMemoryPeak start() {
    AnonymousMemoryPeak peak = new AnonymousMemoryPeak();
    peak.sampler.start();
    return peak;
  }

  private void sample() {
    while (running) {
      maxMiB = Math.max(maxMiB, ProcessMemory.anonymousMiB());
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  public void stop() {
    running = false;
    sampler.interrupt();
    maxMiB = Math.max(maxMiB, ProcessMemory.anonymousMiB());
  }

  public double maxMiB() {
    return maxMiB;
  }
}
