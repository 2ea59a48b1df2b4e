package org.tsumugi.ops.bench;

import java.util.List;
import java.util.Locale;
import org.tsumugi.engine.model.wan.WanConfig;

/**
 * The result lines of {@code bench memory} as one table: step time (fastest and mean of the timed steps, and the mean
 * less the computing thread's run-queue wait), where the time went, block delivery against block compute, and memory
 * against the weights' planned size.
 */
final class MemoryTable {

  private static final double MIB = 1024 * 1024;

  private MemoryTable() {}

  static String format(List<String> resultLines, WanConfig config) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "%-26s %6s %17s %7s %7s %7s %7s %6s %8s %8s %9s %9s %9s %9s %9s %9s %9s%n", "configuration", "load s",
        "step s min/mean", "-queue", "cpu s", "queue s", "other s", "wait s", "fetch ms", "fwd ms", "weights",
        "load-base", "RSS load", "peak RSS", "RssAnon", "LoRA mvd", "load avg"));
    for (String line : resultLines) {
      if (!line.startsWith("RESULT ")) {
        out.append(line.lines().findFirst().orElse(line)).append('\n');
        continue;
      }
      MemoryRow r = MemoryRow.parse(line);
      double plan = WeightBudget.of(config, r.options()).total() / MIB;
      out.append(String.format(Locale.ROOT, "%-26s %6.2f %8.2f/%8.2f %7.2f %7.2f %7.2f %7.2f %6.2f %8.1f %8.1f "
          + "%5.0f MiB %5.0f MiB %5.0f MiB %5.0f MiB %5.0f MiB %9s %9s%n", MemoryBenchmark.describe(r.options()),
          r.loadSeconds(), MemoryRow.timedMin(r.wall()), MemoryRow.timedMean(r.wall()), r.uncontendedMean(),
          MemoryRow.timedMean(r.compute()), MemoryRow.timedMean(r.runQueue()), MemoryRow.timedMean(r.otherThreads()),
          MemoryRow.timedMean(r.weightWait()), r.fetchMillis(), r.blockForwardMillis(), plan,
          r.rssLoadMiB() - r.rssBaseMiB(), r.rssLoadMiB(), r.peakMiB(), r.anonMiB(),
          r.loraChanged() + "/" + r.loraTensors(), loadRange(r.loadAverage())));
    }
    return out.toString();
  }

  /** The one-minute load average when the run started and ended. */
  private static String loadRange(double[] load) {
    return load.length < 2 ? "?" : String.format(Locale.ROOT, "%.1f-%.1f", load[0], load[1]);
  }
}
