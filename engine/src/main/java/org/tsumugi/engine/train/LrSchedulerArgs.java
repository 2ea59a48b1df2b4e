package org.tsumugi.engine.train;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * The {@code lr_scheduler_args} a schedule understands. Values are Python-literal texts as users write them
 * ({@code rex_alpha=0.1}, {@code step_rules='1:10,0.1:20,0.01'}); surrounding quotes are removed. A key the chosen
 * schedule does not take is refused (the reference fails later with an "unexpected keyword" error).
 */
final class LrSchedulerArgs {
  private static final String OPTION = "lr_scheduler_args";
  private final Map<String, String> args;
  private final String scheduler;

  LrSchedulerArgs(Map<String, String> args, String scheduler, List<String> allowed) {
    for (String key : args.keySet()) {
      if (!allowed.contains(key)) {
        throw new TrainingOptionException(OPTION, "unknown key [" + key + "] for lr_scheduler " + scheduler
            + ". Allowed: " + (allowed.isEmpty() ? "none" : new TreeSet<>(allowed).toString()));
      }
    }
    this.args = args;
    this.scheduler = scheduler;
  }

  Optional<String> text(String key) {
    return Optional.ofNullable(args.get(key)).map(LrSchedulerArgs::unquote);
  }

  OptionalDouble number(String key) {
    Optional<String> text = text(key);
    if (text.isEmpty()) {
      return OptionalDouble.empty();
    }
    try {
      return OptionalDouble.of(Double.parseDouble(text.get().strip()));
    } catch (NumberFormatException e) {
      throw new TrainingOptionException(OPTION, key + " of lr_scheduler " + scheduler + " must be a number, got ["
          + text.get() + "]");
    }
  }

  String choice(String key, String fallback, List<String> allowed) {
    String value = text(key).orElse(fallback);
    if (!allowed.contains(value)) {
      throw new TrainingOptionException(OPTION, key + " [" + value + "] is not one of " + allowed);
    }
    return value;
  }

  private static String unquote(String value) {
    String v = value.strip();
    if (v.length() >= 2 && (v.charAt(0) == '\'' || v.charAt(0) == '"') && v.charAt(v.length() - 1) == v.charAt(0)) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }
}
