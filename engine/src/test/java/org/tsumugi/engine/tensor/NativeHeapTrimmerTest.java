package org.tsumugi.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeHeapTrimmerTest {

  @Test
  void trimsOnlyOnceTheProcessHasGrownByTheMarginSinceTheStepAfterTheLastTrim() {
    assumeTrue(NativeHeap.supported(), "the C library is not glibc");
    NativeHeapTrimmer trimmer = new NativeHeapTrimmer();
    try (NDManager manager = NDManager.newBaseManager()) {
      assertFalse(trimmer.afterStep(), "the first step only measures");
      NDArray small = freeAllButLast(manager, 16); // ~16 MiB kept by malloc: within the margin
      assertFalse(trimmer.afterStep(), "trimmed after growing less than the margin");

      NDArray large = freeAllButLast(manager, 320); // ~320 MiB kept by malloc: past 5% of any test JVM's size
      double before = ProcessMemory.residentMiB();
      assertTrue(trimmer.afterStep(), "did not trim after growing ~320 MiB");
      double after = ProcessMemory.residentMiB();
      assertTrue(before - after > 160, "the trim gave back only " + (before - after) + " of ~320 MiB");
      assertFalse(trimmer.afterStep(), "the step after a trim only measures again");
      assertEquals(1, trimmer.trims());
      assertEquals(24 * 1024, small.sum().getFloat() + large.sum().getFloat() - 24 * 1024, "live tensors changed");
    }
  }

  /** Allocates about {@code mib} MiB of 96 KiB tensors (below glibc's mmap threshold) and frees all but the last. */
  private static NDArray freeAllButLast(NDManager manager, int mib) {
    List<NDArray> tensors = new ArrayList<>();
    for (int i = 0; i < mib * 1024 / 96; i++) {
      tensors.add(manager.ones(new Shape(24 * 1024)));
    }
    NDArray last = tensors.remove(tensors.size() - 1);
    tensors.forEach(NDArray::close);
    return last;
  }
}
