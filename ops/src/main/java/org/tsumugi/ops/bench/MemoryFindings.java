package org.tsumugi.ops.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.tsumugi.engine.model.MemoryOptions;
import org.tsumugi.engine.model.wan.WanConfig;

/**
 * The memory options' goals checked on a set of results: training happened (finite losses, every LoRA tensor moved),
 * peak memory against the float32 weights, what swapping and checkpointing saved and cost against the same
 * configuration without, and whether the offload tier delivers a block faster than a block computes.
 */
final class MemoryFindings {

  /** Step time with block swap may exceed the same run without swap by this much when delivery keeps up. */
  static final double SWAP_SLOWDOWN_ALLOWED = 0.15;
  private static final double MIB = 1024 * 1024;

  private MemoryFindings() {}

  static String format(List<String> resultLines, WanConfig config) {
    Map<MemoryOptions, List<MemoryRow>> runs = new LinkedHashMap<>();
    resultLines.stream().filter(l -> l.startsWith("RESULT ")).map(MemoryRow::parse)
        .forEach(r -> runs.computeIfAbsent(r.options(), o -> new ArrayList<>()).add(r));
    double float32 = WeightBudget.float32Bytes(config) / MIB;
    StringBuilder out = new StringBuilder();
    runs.forEach((o, rs) -> {
      out.append(MemoryBenchmark.describe(o)).append(rs.size() > 1 ? " (" + rs.size() + " runs)" : "").append(":\n");
      for (MemoryRow r : rs) {
        out.append(String.format(Locale.ROOT, "  trained: losses and gradient norms finite %s; LoRA tensors moved "
            + "%d/%d (|delta| %.3g) -> %s%n", yes(r.finite()), r.loraChanged(), r.loraTensors(), r.loraDelta(),
            r.finite() && r.loraChanged() == r.loraTensors() && r.loraTensors() > 0 ? "OK" : "NOT TRAINED"));
      }
      double peak = mean(rs, MemoryRow::peakMiB);
      out.append(String.format(Locale.ROOT, "  peak RSS %.0f MiB = %.1f%% of the float32 weights (%.0f MiB): %s%n",
          peak, 100 * peak / float32, float32, peak < float32 ? "below" : "NOT below"));
      if (o.fp8Scaled()) {
        WeightBudget b = WeightBudget.of(config, o);
        out.append(String.format(Locale.ROOT, "  fp8 weights held: codes + scales %.0f MiB = %.1f%% of their "
            + "float32 %.0f MiB%n", b.fp8() / MIB, 100.0 * b.fp8() / b.fp8AsFloat32(), b.fp8AsFloat32() / MIB));
      }
      List<MemoryRow> unswapped = runs.get(new MemoryOptions(o.fp8Scaled(), 0, o.gradientCheckpointing()));
      if (o.blocksToSwap() > 0 && unswapped != null) {
        out.append(swap(config, unswapped, rs));
      }
      List<MemoryRow> plain = runs.get(new MemoryOptions(o.fp8Scaled(), o.blocksToSwap(), false));
      if (o.gradientCheckpointing() && plain != null) {
        out.append(String.format(Locale.ROOT, "  vs no checkpointing: peak %+.0f MiB, step %s%n",
            peak - mean(plain, MemoryRow::peakMiB), slowdown(plain, rs)));
      }
    });
    return out.toString();
  }

  private static String swap(WanConfig config, List<MemoryRow> base, List<MemoryRow> rs) {
    MemoryOptions o = rs.get(0).options();
    double expected = (WeightBudget.of(config, base.get(0).options()).total() - WeightBudget.of(config, o).total())
        / MIB;
    double fall = mean(base, MemoryRow::peakMiB) - mean(rs, MemoryRow::peakMiB);
    double fetch = mean(rs, MemoryRow::fetchMillis);
    // the run without swap times the same forwards without a prefetch thread competing for the cores
    double compute = Math.min(mean(rs, MemoryRow::blockForwardMillis), mean(base, MemoryRow::blockForwardMillis));
    double measured = mean(rs, MemoryRow::meanStep) / mean(base, MemoryRow::meanStep) - 1;
    double uncontended = mean(rs, MemoryRow::uncontendedMean) / mean(base, MemoryRow::uncontendedMean) - 1;
    String share = expected > 0 ? String.format(Locale.ROOT, "%.0f%% of ", 100 * fall / expected) : "";
    return String.format(Locale.ROOT, "  vs no swap: peak falls %.0f MiB, %sthe %.0f MiB the plan frees "
        + "(swapped weights less the slots)%n  delivery: a block in %.1f ms vs a block's forward %.1f ms (the faster of the "
        + "two runs) -> the tier "
        + "%s%n  step %s -> within %.0f%%: %s measured, %s less run-queue wait%n", fall, share, expected,
        fetch, compute, fetch < compute ? "keeps up" : "is SLOWER than compute", slowdown(base, rs),
        100 * SWAP_SLOWDOWN_ALLOWED, yes(measured <= SWAP_SLOWDOWN_ALLOWED), yes(uncontended <= SWAP_SLOWDOWN_ALLOWED));
  }

  private static String slowdown(List<MemoryRow> base, List<MemoryRow> rs) {
    double step = mean(rs, MemoryRow::meanStep);
    double baseStep = mean(base, MemoryRow::meanStep);
    double uncontended = mean(rs, MemoryRow::uncontendedMean);
    double baseUncontended = mean(base, MemoryRow::uncontendedMean);
    return String.format(Locale.ROOT, "%+.1f%% (mean %.2f vs %.2f s; less run-queue wait %+.1f%%, %.2f vs %.2f s)",
        100 * (step / baseStep - 1), step, baseStep, 100 * (uncontended / baseUncontended - 1), uncontended,
        baseUncontended);
  }

  private static double mean(List<MemoryRow> rows, ToDoubleFunction<MemoryRow> figure) {
    return rows.stream().mapToDouble(figure).average().orElse(Double.NaN);
  }

  private static String yes(boolean b) {
    return b ? "yes" : "no";
  }
}
