package org.tsumugi.engine.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Keeps a training loop's resident memory flat at little cost. Each step frees about as much native memory as it
 * allocated, which glibc keeps for the next step; as that free space fragments the process grows by a few MiB a step.
 * Trimming after every step would keep it flat but costs ~10% of step time (the next step faults its pages in again),
 * so this trims only once the process has grown by a margin (5% of it, at least {@link #MIN_MARGIN_BYTES}) beyond
 * what it held one step after the last trim, which is when the step's working set is back in place. Resident size comes
 * from /proc; elsewhere this does nothing.
 */
public final class NativeHeapTrimmer {
  public static final long MIN_MARGIN_BYTES = 64L << 20;

  private long baseline = -1;
  private int trims;

  /** Call between two steps, when the step's tensors are released. Returns true if it trimmed. */
  public boolean afterStep() {
    OptionalLong resident = residentBytes();
    if (resident.isEmpty() || !NativeHeap.supported()) {
      return false;
    }
    if (baseline < 0) {
      baseline = resident.getAsLong();
      return false;
    }
    if (resident.getAsLong() <= baseline + Math.max(MIN_MARGIN_BYTES, baseline / 20)) {
      return false;
    }
    NativeHeap.trim();
    baseline = -1; // measured again after the next step has faulted its working set back in
    trims++;
    return true;
  }

  public int trims() {
    return trims;
  }

  static OptionalLong residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return OptionalLong.of(Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024);
        }
      }
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }
}
