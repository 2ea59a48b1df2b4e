package org.tsumugi.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeHeapTest {

  /**
   * Tensors freed below a live one stay resident in glibc's heap (it only shrinks from the top); trimming must give
   * those pages back while the live tensor's memory stays in use.
   */
  @Test
  void trimReturnsThePagesOfFreedTensorsButNotLiveOnes() {
    assumeTrue(NativeHeap.supported(), "the C library is not glibc");
    try (NDManager manager = NDManager.newBaseManager()) {
      List<NDArray> tensors = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        tensors.add(manager.ones(new Shape(24 * 1024))); // 96 KiB each: below glibc's mmap threshold
      }
      NDArray last = tensors.remove(tensors.size() - 1);
      tensors.forEach(NDArray::close);
      double before = ProcessMemory.anonymousMiB();

      NativeHeap.trim();

      double after = ProcessMemory.anonymousMiB();
      assertTrue(before - after > 90, "trim gave back " + (before - after) + " MiB of ~187 MiB freed");
      assertTrue(NativeHeap.usage().orElseThrow().inUse() >= 24 * 1024 * 4, "the live tensor is still in use");
      assertTrue(last.sum().getFloat() == 24 * 1024, "a live tensor lost its values");
    }
  }
}
