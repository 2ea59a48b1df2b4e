package org.tsumugi.ops.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.tsumugi.engine.model.MemoryOptions;

/**
 * One {@code RESULT} line of {@code bench memory} read back: per-step series (the first step a warm-up) and the run's
 * single figures. Figures a line lacks read as NaN (or 0 LoRA tensors), so older lines still print.
 */
record MemoryRow(MemoryOptions options, double[] wall, double[] compute, double[] runQueue, double[] otherThreads,
    double[] weightWait, double[] losses, double[] gradNorms, double loadSeconds, double rssBaseMiB,
    double rssLoadMiB, double peakMiB, double anonMiB, double fetchMillis, double blockForwardMillis,
    int loraChanged, int loraTensors, double loraDelta, double[] loadAverage) {

  static MemoryRow parse(String line) {
    String[] parts = line.split(" ");
    if (!parts[0].equals("RESULT") || parts.length < 2) {
      throw new IllegalArgumentException("not a bench memory result line: " + line);
    }
    Map<String, String> r = new HashMap<>();
    for (int i = 2; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      r.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    String[] lora = r.getOrDefault("lora_changed", "0/0").split("/");
    return new MemoryRow(MemoryBenchmark.parse(parts[1]), series(r, "steps_s"), series(r, "cpu_s"),
        series(r, "runqueue_s"), series(r, "other_cpu_s"), series(r, "waits_s"), series(r, "losses"),
        series(r, "grad_norms"), number(r, "load_s"), number(r, "rss_base_mib"), number(r, "rss_load_mib"),
        number(r, "peak_mib"), number(r, "anon_mib"), number(r, "fetch_ms"), number(r, "block_fwd_ms"),
        Integer.parseInt(lora[0]), Integer.parseInt(lora[1]), number(r, "lora_delta"), series(r, "loadavg"));
  }

  /** Mean of a series' timed steps (the warm-up left out). */
  static double timedMean(double[] series) {
    return Arrays.stream(series).skip(1).average().orElse(Double.NaN);
  }

  static double timedMin(double[] series) {
    return Arrays.stream(series).skip(1).min().orElse(Double.NaN);
  }

  double meanStep() {
    return timedMean(wall);
  }

  /** Mean step time had the computing thread never waited for a core (wall minus its run-queue time). */
  double uncontendedMean() {
    double sum = 0;
    for (int i = 1; i < wall.length; i++) {
      sum += wall[i] - (i < runQueue.length ? runQueue[i] : 0);
    }
    return wall.length > 1 ? sum / (wall.length - 1) : Double.NaN;
  }

  /** Every loss and gradient norm, warm-up included, is a finite number. */
  boolean finite() {
    return losses.length > 0 && Arrays.stream(losses).allMatch(Double::isFinite)
        && Arrays.stream(gradNorms).allMatch(Double::isFinite);
  }

  private static double[] series(Map<String, String> r, String key) {
    String v = r.get(key);
    return v == null || v.isEmpty() ? new double[0]
        : Arrays.stream(v.split(",")).mapToDouble(Double::parseDouble).toArray();
  }

  private static double number(Map<String, String> r, String key) {
    String v = r.get(key);
    return v == null ? Double.NaN : Double.parseDouble(v);
  }
}
