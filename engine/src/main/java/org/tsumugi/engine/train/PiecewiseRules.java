package org.tsumugi.engine.train;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code step_rules} of {@code piecewise_constant} (diffusers): "m1:s1,m2:s2,…,m_last" gives the multiplier of the
 * smallest boundary s_i above k, or m_last past every boundary. Boundaries are absolute steps, sorted; a repeated
 * boundary keeps its last multiplier.
 */
final class PiecewiseRules {
  private static final String OPTION = "lr_scheduler_args";
  private final TreeMap<Long, Double> multiplierBelow;
  private final double last;

  private PiecewiseRules(TreeMap<Long, Double> multiplierBelow, double last) {
    this.multiplierBelow = multiplierBelow;
    this.last = last;
  }

  static PiecewiseRules parse(String rules) {
    String[] parts = rules.split(",");
    TreeMap<Long, Double> map = new TreeMap<>();
    for (int i = 0; i < parts.length - 1; i++) {
      String[] pair = parts[i].split(":");
      if (pair.length != 2) {
        throw invalid(rules, "[" + parts[i] + "] is not multiplier:step");
      }
      map.put(parseStep(rules, pair[1]), parseMultiplier(rules, pair[0]));
    }
    return new PiecewiseRules(map, parseMultiplier(rules, parts[parts.length - 1]));
  }

  double factor(long k) {
    Map.Entry<Long, Double> boundary = multiplierBelow.higherEntry(k);
    return boundary == null ? last : boundary.getValue();
  }

  private static long parseStep(String rules, String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw invalid(rules, "step [" + text + "] is not an integer");
    }
  }

  private static double parseMultiplier(String rules, String text) {
    try {
      return Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw invalid(rules, "multiplier [" + text + "] is not a number");
    }
  }

  private static TrainingOptionException invalid(String rules, String why) {
    return new TrainingOptionException(OPTION, "step_rules '" + rules + "': " + why
        + ". Expected e.g. '1:10,0.1:20,0.01' (1 below step 10, 0.1 below step 20, then 0.01)");
  }
}
