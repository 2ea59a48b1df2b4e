package org.tsumugi.config;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's text forms of floats and strings: the reference writes metadata values with {@code str()} and
 * {@code repr()}, and their lengths change the saved header (and so {@code sshs_legacy_hash}).
 */
public final class PythonText {

  private PythonText() {}

  /**
   * Python's {@code repr(float)}: the shortest decimal that reads back as the same double, positional when its
   * decimal exponent is in [-4, 16), otherwise {@code d.ddde±XX}; {@code inf}, {@code nan}.
   */
  public static String repr(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    if (x == 0) {
      return (1 / x < 0) ? "-0.0" : "0.0";
    }
    BigDecimal shortest = shortest(Math.abs(x));
    String digits = shortest.unscaledValue().toString().replaceAll("0+$", "");
    int exponent = shortest.precision() - shortest.scale() - 1;
    String sign = x < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      String e = String.format("%02d", Math.abs(exponent));
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + e;
    }
    return sign + positional(digits, exponent);
  }

  private static String positional(String digits, int exponent) {
    if (exponent < 0) {
      return "0." + "0".repeat(-exponent - 1) + digits;
    }
    if (digits.length() <= exponent + 1) {
      return digits + "0".repeat(exponent + 1 - digits.length()) + ".0";
    }
    return digits.substring(0, exponent + 1) + "." + digits.substring(exponent + 1);
  }

  /** The fewest significant digits that round-trip; among those, the nearest to x. */
  private static BigDecimal shortest(double x) {
    BigDecimal exact = new BigDecimal(x);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (nearest.doubleValue() == x) {
        return nearest;
      }
      BigDecimal ulp = nearest.ulp();
      for (BigDecimal candidate : new BigDecimal[] {nearest.add(ulp), nearest.subtract(ulp)}) {
        if (candidate.doubleValue() == x) {
          return candidate;
        }
      }
    }
    return exact.round(MathContext.DECIMAL64);
  }

  /** Python's {@code str(bool)}. */
  public static String str(boolean b) {
    return b ? "True" : "False";
  }

  /** Python's {@code repr(str)}: single quotes unless the text has one and no double quote. */
  public static String quote(String value) {
    char q = value.indexOf('\'') >= 0 && value.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder out = new StringBuilder().append(q);
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c == q) {
            out.append('\\');
          }
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append(q).toString();
  }
}
