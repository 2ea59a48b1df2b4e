package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The stratified pools of {@code num_timestep_buckets} (reference/training.md §2.4). */
class TimestepBucketsTest {
  private final StepRandom random = new StepRandom(8);

  @Test
  void epochPoolHasEqualCountsPerStratumWhenDivisible() {
    int[] lengths = {4, 4, 4, 4, 4, 4, 4, 4, 4, 4};
    List<double[]> pool = TimestepBuckets.epochPool(lengths, 4, 5, stream(1));
    int[] perStratum = new int[5];
    for (double[] batch : pool) {
      assertEquals(4, batch.length);
      for (double u : batch) {
        assertTrue(u >= 0 && u < 1);
        perStratum[(int) (u * 5)]++;
      }
    }
    for (int c : perStratum) {
      assertEquals(8, c);
    }
  }

  @Test
  void epochPoolTruncatesTheTotalAndShortBatches() {
    // 3 batches of nominal size 3 → 9 values; 4 strata of ⌈9/4⌉ = 3 values, 12 made and 3 dropped
    int[] lengths = {3, 1, 3};
    List<double[]> pool = TimestepBuckets.epochPool(lengths, 3, 4, stream(2));
    assertEquals(3, pool.get(0).length);
    assertEquals(1, pool.get(1).length);
    assertEquals(3, pool.get(2).length);
    int[] perStratum = new int[4];
    for (double[] batch : pool) {
      for (double u : batch) {
        perStratum[(int) (u * 4)]++;
      }
    }
    for (int c : perStratum) {
      assertTrue(c <= 3);
    }
  }

  @Test
  void epochPoolIsShuffledAndDeterministic() {
    int[] lengths = new int[20];
    java.util.Arrays.fill(lengths, 1);
    List<double[]> a = TimestepBuckets.epochPool(lengths, 1, 20, stream(3));
    List<double[]> b = TimestepBuckets.epochPool(lengths, 1, 20, stream(3));
    List<double[]> other = TimestepBuckets.epochPool(lengths, 1, 20, stream(4));
    boolean ascending = true;
    for (int i = 0; i < 20; i++) {
      assertEquals(a.get(i)[0], b.get(i)[0]);
      ascending &= (int) (a.get(i)[0] * 20) == i;
    }
    assertTrue(!ascending, "strata must not be served in order");
    assertNotEquals(a.get(0)[0], other.get(0)[0]);
  }

  @Test
  void trainerPoolVisitsEveryStratumOncePerCycle() {
    int n = 6;
    for (int cycle = 0; cycle < 3; cycle++) {
      boolean[] seen = new boolean[n];
      for (int slot = 0; slot < n; slot++) {
        double u = TimestepBuckets.poolDraw(random, n, (long) cycle * n + slot);
        int stratum = (int) (u * n);
        assertTrue(!seen[stratum], "stratum " + stratum + " twice in cycle " + cycle);
        seen[stratum] = true;
      }
    }
    assertEquals(TimestepBuckets.poolDraw(random, n, 17), TimestepBuckets.poolDraw(new StepRandom(8), n, 17));
  }

  @Test
  void trainerPoolIsUniformOverall() {
    int count = 60_000;
    double[] u = new double[count];
    for (int i = 0; i < count; i++) {
      u[i] = TimestepBuckets.poolDraw(random, 5, i);
    }
    assertTrue(KolmogorovSmirnov.statistic(u, x -> x) < KolmogorovSmirnov.bound(count));
  }

  @Test
  void oneOrNoBucketDisablesBucketing() {
    assertTrue(!TimestepBuckets.enabled(java.util.OptionalInt.empty()));
    assertTrue(!TimestepBuckets.enabled(java.util.OptionalInt.of(1)));
    assertTrue(TimestepBuckets.enabled(java.util.OptionalInt.of(2)));
  }

  private RandomStream stream(long epoch) {
    return random.stream(RandomPurpose.TIMESTEP_BUCKETS, epoch, 0);
  }
}
