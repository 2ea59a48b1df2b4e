package org.tsumugi.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference's {@code key=value} lists ({@code network_args}, {@code optimizer_args}, {@code lr_scheduler_args}):
 * each item splits on exactly one "=" (so a value cannot contain "=", as in the reference). Values stay text, in the
 * order given.
 */
final class KeyValueArgs {
  private KeyValueArgs() {}

  static Map<String, String> parse(List<String> items, KeyLocation where) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String item : items) {
      int eq = item.indexOf('=');
      if (eq < 0 || item.indexOf('=', eq + 1) >= 0) {
        throw where.error(where.key() + " item [" + item + "] must be key=value with exactly one '='"
            + (eq < 0 ? "" : " (a value cannot contain '=', as in the reference)"));
      }
      String key = item.substring(0, eq);
      if (key.isEmpty() || !key.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
        throw where.error(where.key() + " item [" + item + "] needs a key of letters, digits and '_' before '='");
      }
      if (out.containsKey(key)) {
        throw where.error(where.key() + " gives " + key + " twice: [" + key + "=" + out.get(key) + "] and ["
            + item + "]");
      }
      out.put(key, item.substring(eq + 1));
    }
    return Collections.unmodifiableMap(out);
  }

  /** Checks that every value is a Python literal (what the reference passes as keyword arguments). */
  static Map<String, String> parseLiterals(List<String> items, KeyLocation where) {
    Map<String, String> args = parse(items, where);
    args.forEach((key, value) -> PythonLiteral.parse(value, where.child(key)));
    return args;
  }
}
