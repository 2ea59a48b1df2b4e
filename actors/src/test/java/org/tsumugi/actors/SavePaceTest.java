package org.tsumugi.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.TensorData;
import org.tsumugi.engine.io.TensorSource;

class SavePaceTest {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Test
  void aRestStretchesTheTimePassedToTheCpuUsedOverTheShare() {
    double[] cpuAndWall = burnThenRest(0.2);
    assertTrue(cpuAndWall[1] >= 0.95 * cpuAndWall[0] / 0.2, "rested to " + cpuAndWall[1] + " ms after "
        + cpuAndWall[0] + " ms of CPU");
    assertTrue(cpuAndWall[1] < cpuAndWall[0] / 0.2 + 500, "rested far too long: " + cpuAndWall[1] + " ms after "
        + cpuAndWall[0] + " ms of CPU");
  }

  @Test
  void aFullShareNeverRests() {
    double[] cpuAndWall = burnThenRest(1);
    assertTrue(cpuAndWall[1] < 2 * cpuAndWall[0] + 50, "took " + cpuAndWall[1] + " ms for " + cpuAndWall[0]
        + " ms of CPU");
  }

  /** CPU and wall milliseconds of ~30 ms of work followed by a rest at {@code share}. */
  private static double[] burnThenRest(double share) {
    long start = System.nanoTime();
    SavePace pace = SavePace.start(share);
    double cpuMs = burn(30);
    pace.rest();
    return new double[] {cpuMs, (System.nanoTime() - start) / 1e6};
  }

  @Test
  void pacedTensorsKeepTheirNamesShapesAndBytes() throws Exception {
    TensorSource t = TensorData.fromFloats("a.lora_down.weight", new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3},
        DType.BF16);
    TensorSource paced = SavePace.start(0.5).paced(List.of(t)).get(0);
    assertTrue(paced.name().equals(t.name()) && paced.dtype() == t.dtype(), paced.toString());
    assertArrayEquals(t.shape(), paced.shape());
    assertArrayEquals(bytes(t.data()), bytes(paced.data()));
  }

  @Test
  void refusesSharesOutsideZeroToOne() {
    assertThrows(IllegalArgumentException.class, () -> SavePace.start(0));
    assertThrows(IllegalArgumentException.class, () -> SavePace.start(1.5));
  }

  /** Spins until this thread has used about {@code ms} of CPU; returns what it used. */
  private static double burn(long ms) {
    long from = THREADS.getCurrentThreadCpuTime();
    double x = 0;
    while (THREADS.getCurrentThreadCpuTime() - from < ms * 1_000_000) {
      for (int i = 0; i < 10_000; i++) {
        x += Math.sqrt(i + x);
      }
    }
    assertTrue(x > 0);
    return (THREADS.getCurrentThreadCpuTime() - from) / 1e6;
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
