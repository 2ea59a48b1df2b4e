package org.tsumugi.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The reference's numbers in ../shared/golden and the agreement a float32 implementation must reach. */
public final class Golden {

  private Golden() {}

  public static Path dir() {
    String dir = System.getProperty("tsumugi.golden");
    Path path = dir == null ? Path.of("..", "..", "shared", "golden") : Path.of(dir);
    if (!Files.isDirectory(path)) {
      throw new IllegalStateException("golden directory not found: " + path.toAbsolutePath());
    }
    return path;
  }

  public static Path file(String relative) {
    Path p = dir().resolve(relative);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("golden file not found: " + p.toAbsolutePath());
    }
    return p;
  }

  /** The golden README's tolerance: max |a − b| ≤ 1e-4 · max |b| + 1e-6. */
  public static void assertClose(float[] expected, float[] actual, String what) {
    assertArrayEquals(new int[] {expected.length}, new int[] {actual.length}, what + ": element count");
    double maxRef = 0;
    double maxDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      maxRef = Math.max(maxRef, Math.abs(expected[i]));
      maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
    }
    double bound = 1e-4 * maxRef + 1e-6;
    assertTrue(maxDiff <= bound, what + ": max |diff| " + maxDiff + " exceeds " + bound + " (max |ref| " + maxRef + ")");
  }
}
