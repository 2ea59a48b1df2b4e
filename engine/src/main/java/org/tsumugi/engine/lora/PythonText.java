package org.tsumugi.engine.lora;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import org.tsumugi.config.PythonLiteral;

/**
 * Python's {@code str()} of the values the reference writes into LoRA metadata, and its {@code json.dumps} with default
 * settings (reference/lora-and-ema.md §1.9). The exact text matters: the header's length changes
 * {@code sshs_legacy_hash}.
 */
final class PythonText {

  private PythonText() {}

  /** {@code str(b)}: True / False. */
  static String str(boolean b) {
    return b ? "True" : "False";
  }

  /**
   * {@code repr(float)} (= {@code str(float)}): the shortest digits that read back to {@code x}, in fixed notation when
   * the decimal exponent is in [−4, 16), else as {@code d.ddde±XX}; whole numbers keep a {@code .0}.
   */
  static String repr(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    if (x == 0) {
      return (1 / x < 0) ? "-0.0" : "0.0";
    }
    BigDecimal shortest = shortest(x);
    String sign = shortest.signum() < 0 ? "-" : "";
    BigDecimal abs = shortest.abs().stripTrailingZeros();
    String digits = abs.unscaledValue().toString();
    int exponent = digits.length() - 1 - abs.scale(); // x = d.ddd × 10^exponent
    if (exponent >= -4 && exponent < 16) {
      return sign + fixed(digits, exponent);
    }
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String exp = String.format(java.util.Locale.ROOT, "%02d", Math.abs(exponent));
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
  }

  private static String fixed(String digits, int exponent) {
    if (exponent < 0) {
      return "0." + "0".repeat(-exponent - 1) + digits;
    }
    if (digits.length() <= exponent + 1) {
      return digits + "0".repeat(exponent + 1 - digits.length()) + ".0";
    }
    return digits.substring(0, exponent + 1) + "." + digits.substring(exponent + 1);
  }

  /**
   * The shortest decimal that reads back as {@code x}; among those of that length the nearest to {@code x} (next to a
   * power of two the round-trip interval is lopsided, so the rounded value's neighbours are tried too).
   */
  private static BigDecimal shortest(double x) {
    BigDecimal exact = new BigDecimal(x);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      BigDecimal unit = BigDecimal.ONE.scaleByPowerOfTen(-rounded.scale());
      BigDecimal best = null;
      for (BigDecimal candidate : List.of(rounded, rounded.subtract(unit), rounded.add(unit))) {
        if (candidate.doubleValue() == x && (best == null
            || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
          best = candidate;
        }
      }
      if (best != null) {
        return best;
      }
    }
    return exact;
  }

  /** {@code str(v)} of a value read as a Python literal (containers show their items' repr). */
  static String str(PythonLiteral v) {
    if (v instanceof PythonLiteral.PyStr s) {
      return s.value();
    }
    return repr(v);
  }

  private static String repr(PythonLiteral v) {
    if (v instanceof PythonLiteral.PyInt i) {
      return Long.toString(i.value());
    } else if (v instanceof PythonLiteral.PyFloat f) {
      return repr(f.value());
    } else if (v instanceof PythonLiteral.PyBool b) {
      return str(b.value());
    } else if (v instanceof PythonLiteral.PyStr s) {
      return reprString(s.value());
    } else if (v instanceof PythonLiteral.PyTuple t) {
      String items = String.join(", ", t.items().stream().map(PythonText::repr).toList());
      return "(" + items + (t.items().size() == 1 ? ",)" : ")");
    } else if (v instanceof PythonLiteral.PyList l) {
      return "[" + String.join(", ", l.items().stream().map(PythonText::repr).toList()) + "]";
    }
    return "None";
  }

  /** {@code repr(str)}: single quotes unless the text holds a ' and no ". */
  private static String reprString(String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder out = new StringBuilder().append(quote);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == quote || c == '\\') {
        out.append('\\').append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append(quote).toString();
  }

  /**
   * {@code json.dumps(value)} with Python's defaults: separators {@code ", "} and {@code ": "}, non-ASCII escaped as
   * {@code \\uXXXX}. Takes maps (insertion order), lists, strings, booleans, integral numbers, doubles (Python float
   * repr) and null.
   */
  static String jsonDumps(Object value) {
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
    return repr(d);
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
