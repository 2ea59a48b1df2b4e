package org.tsumugi.ops.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The result lines of {@code bench memory} as one table (step time: fastest and mean of the timed steps). */
final class MemoryTable {

  private MemoryTable() {}

  static String format(List<String> resultLines) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "%-26s %6s %17s %8s %8s %8s %7s %8s %10s %10s %10s%n", "configuration", "load s", "step s min/mean",
        "cpu s", "queue s", "other s", "wait s", "fetch ms", "RSS load", "peak RSS", "RssAnon"));
    for (String line : resultLines) {
      if (!line.startsWith("RESULT ")) {
        out.append(line.lines().findFirst().orElse(line)).append('\n');
        continue;
      }
      Map<String, String> r = parse(line);
      double[] steps = timed(r.get("steps_s"));
      out.append(String.format(Locale.ROOT, "%-26s %6s %8.2f/%8.2f %8.2f %8.2f %8.2f %7.2f %8s %6s MiB %6s MiB "
          + "%6s MiB%n", r.get("config"), r.get("load_s"), Arrays.stream(steps).min().orElse(Double.NaN),
          Arrays.stream(steps).average().orElse(Double.NaN), mean(r.get("cpu_s")), mean(r.get("runqueue_s")),
          mean(r.get("other_cpu_s")), mean(r.get("waits_s")), r.get("fetch_ms"), r.get("rss_load_mib"),
          r.get("peak_mib"), r.get("anon_mib")));
    }
    return out.toString();
  }

  private static double mean(String values) {
    return Arrays.stream(timed(values)).average().orElse(0);
  }

  /** The timed steps' values (the first, a warm-up, left out). */
  private static double[] timed(String values) {
    return values == null ? new double[0]
        : Arrays.stream(values.split(",")).skip(1).mapToDouble(Double::parseDouble).toArray();
  }

  /** "RESULT fp8=..,swap=..,gc=.. key=value ..." → config plus each key. */
  private static Map<String, String> parse(String line) {
    List<String> parts = new ArrayList<>(Arrays.asList(line.split(" ")));
    Map<String, String> r = new LinkedHashMap<>();
    r.put("config", parts.get(1));
    for (String p : parts.subList(2, parts.size())) {
      String[] kv = p.split("=", 2);
      r.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    return r;
  }
}
