package org.tsumugi.actors;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import org.tsumugi.engine.io.ComputedTensor;
import org.tsumugi.engine.io.TensorSource;

/**
 * Keeps one save's work to a share of one core while training runs. When training keeps every core busy, whatever CPU
 * a save takes (converting, hashing, copying into the page cache) comes out of the steps it overlaps, priority or not:
 * a parallel kernel waits for its slowest thread. Resting between tensors spreads that cost thinly over several steps
 * instead of landing it on one. Rests are taken on the thread doing the save, which must be the one that does its work
 * (the share counts that thread's CPU time).
 */
final class SavePace {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final double share;
  private final long cpuStart;
  private final long wallStart;

  private SavePace(double share) {
    this.share = share;
    this.cpuStart = THREADS.getCurrentThreadCpuTime();
    this.wallStart = System.nanoTime();
  }

  /** Starts pacing work on this thread at {@code share} of a core (1 = no rests). */
  static SavePace start(double share) {
    if (share <= 0 || share > 1) {
      throw new IllegalArgumentException("a save's CPU share must be in (0, 1], got " + share);
    }
    return new SavePace(share);
  }

  /** Sleeps as long as needed for the CPU used since the start to be at most the share of the time passed. */
  void rest() {
    if (share >= 1) {
      return;
    }
    long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
    long owed = (long) (cpu / share) - (System.nanoTime() - wallStart);
    if (owed > 0) {
      try {
        Thread.sleep(owed / 1_000_000, (int) (owed % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // shutting down: finish the save without rests
      }
    }
  }

  /** The same tensors, each computed only after a rest. */
  List<TensorSource> paced(List<? extends TensorSource> tensors) {
    return tensors.stream()
        .<TensorSource>map(t -> new ComputedTensor(t.name(), t.dtype(), t.shape(), () -> {
          rest();
          return t.data();
        }))
        .toList();
  }

  /** CPU time this thread has used since the start, in milliseconds. */
  long cpuMillis() {
    return (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
  }
}
