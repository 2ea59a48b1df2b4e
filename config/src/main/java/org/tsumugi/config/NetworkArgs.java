package org.tsumugi.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code network_args} read as the reference's create_network does (reference/lora-and-ema.md §1.3): items split on
 * exactly one "=", values kept as text for ss_network_args, and the known keys converted. Unlike the reference,
 * which ignores unknown keys, Tsumugi refuses them (with the nearest known key).
 *
 * @param items every item as given, in order (key → text)
 */
public record NetworkArgs(
    Map<String, String> items,
    OptionalDouble rankDropout,
    OptionalDouble moduleDropout,
    List<String> excludePatterns,
    List<String> includePatterns,
    OptionalDouble loraplusLrRatio,
    boolean verbose) {

  /** conv_dim / conv_alpha are accepted (checked) but do nothing for Wan: its target blocks hold no Conv layers. */
  static final Set<String> KNOWN = Set.of("rank_dropout", "module_dropout", "exclude_patterns", "include_patterns",
      "loraplus_lr_ratio", "verbose", "conv_dim", "conv_alpha");

  /** @throws ConfigError naming {@code where} for the first malformed item */
  public static NetworkArgs parse(List<String> rawItems, KeyLocation where) {
    Map<String, String> items = KeyValueArgs.parse(rawItems, where);
    for (String key : items.keySet()) {
      if (!KNOWN.contains(key)) {
        throw where.error("unknown network_args key " + key + ". Select from " + new java.util.TreeSet<>(KNOWN)
            + NearestName.hint(KNOWN, key));
      }
    }
    Optional.ofNullable(items.get("conv_dim")).ifPresent(v -> integer(v, where.child("conv_dim")));
    Optional.ofNullable(items.get("conv_alpha")).ifPresent(v -> decimal(v, where.child("conv_alpha")));
    OptionalDouble loraplus = optionalDecimal(items, "loraplus_lr_ratio", where);
    loraplus.ifPresent(v -> check(v > 0, where.child("loraplus_lr_ratio"), "must be greater than 0, got " + v));
    return new NetworkArgs(items, dropout(items, "rank_dropout", where), dropout(items, "module_dropout", where),
        patterns(items, "exclude_patterns", where), patterns(items, "include_patterns", where), loraplus,
        verbose(items.get("verbose"), where.child("verbose")));
  }

  private static OptionalDouble dropout(Map<String, String> items, String key, KeyLocation where) {
    OptionalDouble value = optionalDecimal(items, key, where);
    value.ifPresent(v -> check(v >= 0 && v < 1, where.child(key), "must be in [0, 1), got " + v));
    return value;
  }

  private static List<String> patterns(Map<String, String> items, String key, KeyLocation where) {
    if (!items.containsKey(key)) {
      return List.of();
    }
    KeyLocation at = where.child(key);
    List<String> patterns = PythonLiteral.parseStringList(items.get(key), at);
    for (String pattern : patterns) {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw at.error(at.key() + " pattern [" + pattern + "] is not a valid regular expression: "
            + e.getDescription());
      }
    }
    return patterns;
  }

  /** The reference turns on verbose only for the exact text "True"; anything but True/False is refused here. */
  private static boolean verbose(String text, KeyLocation where) {
    if (text == null || text.equals("False")) {
      return false;
    }
    check(text.equals("True"), where, "must be True or False (Python spelling), got [" + text + "]");
    return true;
  }

  private static OptionalDouble optionalDecimal(Map<String, String> items, String key, KeyLocation where) {
    String text = items.get(key);
    return text == null ? OptionalDouble.empty() : OptionalDouble.of(decimal(text, where.child(key)));
  }

  private static double decimal(String text, KeyLocation where) {
    return OptionValues.number(com.typesafe.config.ConfigValueFactory.fromAnyRef(text))
        .orElseThrow(() -> where.error(where.key() + " must be a number, got [" + text + "]"));
  }

  private static long integer(String text, KeyLocation where) {
    return OptionValues.integer(com.typesafe.config.ConfigValueFactory.fromAnyRef(text))
        .orElseThrow(() -> where.error(where.key() + " must be an integer, got [" + text + "]"));
  }

  private static void check(boolean ok, KeyLocation where, String message) {
    if (!ok) {
      throw where.error(where.key() + " " + message);
    }
  }
}
