package org.tsumugi.config;

import java.util.List;
import java.util.Map;

/** Python's {@code json.dumps} text, as the reference writes JSON into metadata values (e.g. {@code ss_datasets}). */
public final class PythonJson {

  private PythonJson() {}

  /**
   * {@code json.dumps(value)} with Python's defaults: separators {@code ", "} and {@code ": "}, non-ASCII escaped as
   * {@code \\uXXXX}. Takes maps (insertion order), lists, strings, booleans, integral numbers, doubles (Python float
   * repr) and null.
   */
  public static String dumps(Object value) {
    StringBuilder out = new StringBuilder();
    appendJson(out, value);
    return out.toString();
  }

  private static void appendJson(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      appendJsonString(out, s);
    } else if (value instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (value instanceof Double d) {
      out.append(jsonFloat(d));
    } else if (value instanceof Float f) {
      out.append(jsonFloat(f.doubleValue()));
    } else if (value instanceof Number n) {
      out.append(n.longValue());
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      String separator = "";
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(separator);
        appendJsonString(out, String.valueOf(e.getKey()));
        out.append(": ");
        appendJson(out, e.getValue());
        separator = ", ";
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      String separator = "";
      for (Object item : list) {
        out.append(separator);
        appendJson(out, item);
        separator = ", ";
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
    }
  }

  /** json.dumps writes NaN and infinities as JavaScript names, other floats as repr. */
  private static String jsonFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    return PythonText.repr(d);
  }

  private static void appendJsonString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
