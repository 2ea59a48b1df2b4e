package org.tsumugi.engine.tensor;

/**
 * Keeps a training loop's resident memory flat at little cost. Each step frees about as much native memory as it
 * allocated, which glibc keeps for the next step; as that free space fragments the process grows by a few MiB a step.
 * Trimming after every step would keep it flat but costs ~8% of step time (the next step faults its pages in again),
 * so this trims only once the process has grown by a margin (5% of it, at least {@link #MIN_MARGIN_MIB} MiB) beyond
 * what it held one step after the last trim, which is when the step's working set is back in place. Resident size comes
 * from /proc; elsewhere this does nothing.
 */
public final class NativeHeapTrimmer {
  private static final double MIN_MARGIN_MIB = 64;

  private double baseline = -1;
  private int trims;

  /** Call between two steps, when the step's tensors are released. Returns true if it trimmed. */
  public boolean afterStep() {
    double resident = ProcessMemory.residentMiB();
    if (resident < 0 || !NativeHeap.supported()) {
      return false;
    }
    if (baseline < 0) {
      baseline = resident;
      return false;
    }
    if (resident <= baseline + Math.max(MIN_MARGIN_MIB, baseline / 20)) {
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
}
