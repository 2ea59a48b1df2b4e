package org.tsumugi.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeHeapTest {

  /**
   * Tensors freed below a live one stay resident in glibc's heap (it only shrinks from the top); trimming must give
   * those pages back while the live tensor's memory stays in use.
   */
  @Test
  void trimReturnsThePagesOfFreedTensorsButNotLiveOnes() throws IOException {
    assumeTrue(NativeHeap.supported(), "the C library is not glibc");
    try (NDManager manager = NDManager.newBaseManager()) {
      List<NDArray> tensors = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        tensors.add(manager.ones(new Shape(24 * 1024))); // 96 KiB each: below glibc's mmap threshold
      }
      NDArray last = tensors.remove(tensors.size() - 1);
      tensors.forEach(NDArray::close);
      double before = anonymousMiB();

      NativeHeap.trim();

      double after = anonymousMiB();
      assertTrue(before - after > 90, "trim gave back " + (before - after) + " MiB of ~187 MiB freed");
      assertTrue(NativeHeap.usage().orElseThrow().inUse() >= 24 * 1024 * 4, "the live tensor is still in use");
      assertTrue(last.sum().getFloat() == 24 * 1024, "a live tensor lost its values");
    }
  }

  private static double anonymousMiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("RssAnon:")) {
        return Long.parseLong(line.substring(8).trim().split("\\s+")[0]) / 1024.0;
      }
    }
    throw new IllegalStateException("no RssAnon in /proc/self/status");
  }
}
