package org.tsumugi.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Conversion of one HOCON value to the type an option needs. Text is converted as the reference's argparse would
 * ({@code --network_dim 32}, {@code --learning_rate 2e-4}); numbers must be whole where an int is asked for.
 * Each method returns empty when the value does not convert; the caller words the error.
 */
final class OptionValues {
  /** Python's float() syntax for finite decimal numbers (no hex, no Java suffixes, no NaN). */
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d(_?\\d)*(\\.(\\d(_?\\d)*)?)?|\\.\\d(_?\\d)*)([eE][+-]?\\d(_?\\d)*)?");
  private static final Pattern INTEGER = Pattern.compile("[+-]?\\d(_?\\d)*");

  private OptionValues() {}

  static Optional<Long> integer(ConfigValue value) {
    if (value.valueType() == ConfigValueType.NUMBER) {
      Number n = (Number) value.unwrapped();
      if (n instanceof Double d) {
        return d == Math.rint(d) && Math.abs(d) < 9.0e15 ? Optional.of(d.longValue()) : Optional.empty();
      }
      return Optional.of(n.longValue());
    }
    if (value.valueType() == ConfigValueType.STRING) {
      String text = ((String) value.unwrapped()).trim();
      if (INTEGER.matcher(text).matches()) {
        try {
          return Optional.of(Long.parseLong(text.replace("_", "")));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  static Optional<Double> number(ConfigValue value) {
    if (value.valueType() == ConfigValueType.NUMBER) {
      return Optional.of(((Number) value.unwrapped()).doubleValue());
    }
    if (value.valueType() == ConfigValueType.STRING) {
      String text = ((String) value.unwrapped()).trim();
      if (DECIMAL.matcher(text).matches()) {
        double d = Double.parseDouble(text.replace("_", ""));
        return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  static Optional<Boolean> bool(ConfigValue value) {
    if (value.valueType() == ConfigValueType.BOOLEAN) {
      return Optional.of((Boolean) value.unwrapped());
    }
    if (value.valueType() == ConfigValueType.STRING) {
      String text = ((String) value.unwrapped()).trim();
      if (text.equalsIgnoreCase("true")) {
        return Optional.of(true);
      }
      if (text.equalsIgnoreCase("false")) {
        return Optional.of(false);
      }
    }
    return Optional.empty();
  }

  /** Strings as they are; numbers and booleans as written in the file (e.g. {@code output_name = 2024}). */
  static Optional<String> text(ConfigValue value) {
    return switch (value.valueType()) {
      case STRING -> Optional.of((String) value.unwrapped());
      case NUMBER, BOOLEAN -> Optional.of(value.render());
      default -> Optional.empty();
    };
  }

  /** The type a user sees in messages: "a list", "a number" ... */
  static String describe(ConfigValue value) {
    return switch (value.valueType()) {
      case OBJECT -> "an object";
      case LIST -> "a list";
      case NUMBER -> "the number " + value.render();
      case BOOLEAN -> "the boolean " + value.render();
      case NULL -> "null";
      case STRING -> "the string \"" + value.unwrapped() + "\"";
    };
  }
}
