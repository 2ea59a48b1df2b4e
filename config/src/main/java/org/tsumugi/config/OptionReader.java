package org.tsumugi.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Typed reads of the merged options (user file and command line over reference.conf). A value that does not convert
 * is recorded as a {@link ConfigProblem} naming key and place, and the reference.conf default is returned instead so
 * that one run of the loader reports every problem at once.
 */
final class OptionReader {
  private final ConfigObject options;
  private final ConfigObject defaults;
  private final String runFile;
  private final List<ConfigProblem> problems = new ArrayList<>();

  /**
   * @param runFile named as the place of problems with options the user did not give (e.g. a required one)
   */
  OptionReader(ConfigObject options, ConfigObject defaults, String runFile) {
    this.options = options;
    this.defaults = defaults;
    this.runFile = runFile;
  }

  List<ConfigProblem> problems() {
    return problems;
  }

  void report(KeyLocation where, String message) {
    problems.add(where.problem(message));
  }

  /** Runs a parse that throws {@link ConfigError}; its problems are recorded and empty is returned. */
  <T> Optional<T> attempt(java.util.function.Supplier<T> parse) {
    try {
      return Optional.of(parse.get());
    } catch (ConfigError e) {
      problems.addAll(e.problems());
      return Optional.empty();
    }
  }

  /** Records {@code message} against {@code key} unless {@code ok}. */
  void require(boolean ok, String key, String message) {
    if (!ok) {
      report(at(key), message);
    }
  }

  /** The place of the key's value; the run file when the value is reference.conf's default. */
  KeyLocation at(String key) {
    ConfigValue value = valueAt(options, key);
    if (value == null || value.origin().resource() != null) {
      return new KeyLocation(key, runFile);
    }
    return KeyLocation.of(key, value.origin());
  }

  /** Whether the key has a non-null value. */
  boolean isSet(String key) {
    ConfigValue value = valueAt(options, key);
    return value != null && value.valueType() != ConfigValueType.NULL;
  }

  /** Whether the user gave the key a non-null value (in the run file or on the command line), not reference.conf. */
  boolean given(String key) {
    ConfigValue value = valueAt(options, key);
    return isSet(key) && value.origin().resource() == null;
  }

  Path requiredPath(String key, String what) {
    Optional<String> value = optionalText(key);
    if (value.isEmpty() || value.get().isBlank()) {
      report(at(key), key + " is required: " + what);
      return Path.of("");
    }
    return toPath(key, value.get()).orElse(Path.of(""));
  }

  String requiredText(String key, String what) {
    Optional<String> value = optionalText(key);
    if (value.isEmpty() || value.get().isBlank()) {
      report(at(key), key + " is required: " + what);
      return "";
    }
    return value.get();
  }

  int intAtLeast(String key, int min) {
    int value = integer(key);
    require(value >= min, key, key + " must be at least " + min + ", got " + value);
    return value;
  }

  OptionalInt optionalIntBetween(String key, int min, int max) {
    OptionalInt value = optionalInt(key);
    if (value.isPresent() && (value.getAsInt() < min || value.getAsInt() > max)) {
      report(at(key), key + " must be " + (max == Integer.MAX_VALUE ? "at least " + min
          : "from " + min + " to " + max) + ", got " + value.getAsInt());
    }
    return value;
  }

  /** A number in [min, max) or [min, max] as {@code maxInclusive} says. */
  double numberBetween(String key, double min, double max, boolean maxInclusive) {
    double value = number(key);
    checkBetween(key, value, min, max, maxInclusive);
    return value;
  }

  OptionalDouble optionalNumberBetween(String key, double min, double max, boolean maxInclusive) {
    OptionalDouble value = optionalNumber(key);
    value.ifPresent(v -> checkBetween(key, v, min, max, maxInclusive));
    return value;
  }

  private void checkBetween(String key, double value, double min, double max, boolean maxInclusive) {
    boolean ok = value >= min && (maxInclusive ? value <= max : value < max);
    String range = max == Double.POSITIVE_INFINITY ? "at least " + min
        : "in [" + min + ", " + max + (maxInclusive ? "]" : ")");
    require(ok, key, key + " must be " + range + ", got " + value);
  }

  double numberAbove(String key, double bound) {
    double value = number(key);
    require(value > bound, key, key + " must be greater than " + bound + ", got " + value);
    return value;
  }

  int integer(String key) {
    return convert(key, v -> OptionValues.integer(v).filter(OptionReader::fitsInt), "an integer").intValue();
  }

  java.util.OptionalLong optionalLong(String key) {
    return optional(key, OptionValues::integer, "an integer").map(java.util.OptionalLong::of)
        .orElse(java.util.OptionalLong.empty());
  }

  OptionalInt optionalInt(String key) {
    Optional<Long> value = optional(key, v -> OptionValues.integer(v).filter(OptionReader::fitsInt), "an integer");
    return value.map(v -> OptionalInt.of(v.intValue())).orElse(OptionalInt.empty());
  }

  double number(String key) {
    return convert(key, OptionValues::number, "a number");
  }

  OptionalDouble optionalNumber(String key) {
    return optional(key, OptionValues::number, "a number").map(OptionalDouble::of).orElse(OptionalDouble.empty());
  }

  boolean flag(String key) {
    return convert(key, OptionValues::bool, "true or false");
  }

  String text(String key) {
    return convert(key, OptionValues::text, "a string");
  }

  Optional<String> optionalText(String key) {
    return optional(key, OptionValues::text, "a string");
  }

  Optional<Path> optionalPath(String key) {
    return optionalText(key).flatMap(text -> toPath(key, text));
  }

  List<Path> paths(String key) {
    List<Path> out = new ArrayList<>();
    strings(key).forEach(text -> toPath(key, text).ifPresent(out::add));
    return List.copyOf(out);
  }

  private Optional<Path> toPath(String key, String text) {
    try {
      return Optional.of(Path.of(text));
    } catch (java.nio.file.InvalidPathException e) {
      report(at(key), key + " is not a valid path: " + e.getMessage());
      return Optional.empty();
    }
  }

  Duration duration(String key) {
    return convert(key, v -> OptionValues.text(v).flatMap(OptionReader::parseDuration),
        "a duration such as 10s or 500ms");
  }

  /** A list of strings; a single string counts as a list of one. */
  List<String> strings(String key) {
    return list(key, OptionValues::text, "a list of strings");
  }

  List<Double> numbers(String key) {
    return list(key, OptionValues::number, "a list of numbers");
  }

  /** The raw value, for options with their own syntax (lr_warmup_steps); null when unset. */
  ConfigValue raw(String key) {
    ConfigValue value = valueAt(options, key);
    return value == null || value.valueType() == ConfigValueType.NULL ? null : value;
  }

  /** One of {@code values}, matched by {@code name} (case-insensitively when {@code ignoreCase}). */
  <E extends Enum<E>> E choice(String key, E[] values, Function<E, String> name, boolean ignoreCase) {
    return optionalChoice(key, values, name, ignoreCase).orElseGet(() -> {
      if (!isSet(key)) {
        report(at(key), key + " must be set. Select one of " + names(values, name));
      }
      return values[0];
    });
  }

  <E extends Enum<E>> Optional<E> optionalChoice(String key, E[] values, Function<E, String> name,
      boolean ignoreCase) {
    Optional<String> given = optionalText(key);
    if (given.isEmpty()) {
      return Optional.empty();
    }
    for (E value : values) {
      String n = name.apply(value);
      if (ignoreCase ? n.equalsIgnoreCase(given.get()) : n.equals(given.get())) {
        return Optional.of(value);
      }
    }
    List<String> all = Arrays.stream(values).map(name).collect(Collectors.toList());
    report(at(key), "unknown " + key + " [" + given.get() + "]. Select one of " + all
        + NearestName.hint(all, given.get()));
    return fallbackChoice(key, values, name);
  }

  private <E extends Enum<E>> Optional<E> fallbackChoice(String key, E[] values, Function<E, String> name) {
    ConfigValue fallback = valueAt(defaults, key);
    if (fallback == null || fallback.valueType() != ConfigValueType.STRING) {
      return Optional.of(values[0]);
    }
    return Arrays.stream(values).filter(v -> name.apply(v).equalsIgnoreCase((String) fallback.unwrapped()))
        .findFirst().or(() -> Optional.of(values[0]));
  }

  private static <E> String names(E[] values, Function<E, String> name) {
    return Arrays.stream(values).map(name).collect(Collectors.toList()).toString();
  }

  private <T> T convert(String key, Function<ConfigValue, Optional<T>> conversion, String expected) {
    Optional<T> value = optional(key, conversion, expected);
    if (value.isPresent()) {
      return value.get();
    }
    if (!isSet(key)) {
      report(at(key), key + " must be set to " + expected);
    }
    return fallback(key, conversion);
  }

  private <T> Optional<T> optional(String key, Function<ConfigValue, Optional<T>> conversion, String expected) {
    ConfigValue value = valueAt(options, key);
    if (value == null || value.valueType() == ConfigValueType.NULL) {
      return Optional.empty();
    }
    Optional<T> converted = conversion.apply(value);
    if (converted.isEmpty()) {
      report(KeyLocation.of(key, value.origin()), key + " must be " + expected + ", got "
          + OptionValues.describe(value));
      ConfigValue fallback = valueAt(defaults, key);
      return fallback == null ? Optional.empty() : conversion.apply(fallback);
    }
    return converted;
  }

  private <T> T fallback(String key, Function<ConfigValue, Optional<T>> conversion) {
    ConfigValue fallback = valueAt(defaults, key);
    Optional<T> value = fallback == null ? Optional.empty() : conversion.apply(fallback);
    // Options read this way all have a default in reference.conf; required ones without a default are optionals.
    return value.orElseThrow(() -> new IllegalStateException("reference.conf has no usable default for " + key));
  }

  private <T> List<T> list(String key, Function<ConfigValue, Optional<T>> element, String expected) {
    ConfigValue value = valueAt(options, key);
    if (value == null || value.valueType() == ConfigValueType.NULL) {
      return List.of();
    }
    List<ConfigValue> items = value.valueType() == ConfigValueType.LIST
        ? new ArrayList<>((com.typesafe.config.ConfigList) value) : List.of(value);
    List<T> out = new ArrayList<>();
    for (ConfigValue item : items) {
      Optional<T> converted = element.apply(item);
      if (converted.isEmpty()) {
        report(KeyLocation.of(key, item.origin()), key + " must be " + expected + ", got an item "
            + OptionValues.describe(item));
        return List.of();
      }
      out.add(converted.get());
    }
    return List.copyOf(out);
  }

  private static boolean fitsInt(long v) {
    return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
  }

  private static Optional<Duration> parseDuration(String text) {
    try {
      return Optional.of(com.typesafe.config.ConfigFactory.parseString("d = \"" + text.replace("\"", "") + "\"")
          .getDuration("d"));
    } catch (com.typesafe.config.ConfigException e) {
      return Optional.empty();
    }
  }

  /** Walks dotted keys (runtime.http-port) through objects, keeping null values visible. */
  static ConfigValue valueAt(ConfigObject root, String key) {
    ConfigObject current = root;
    String[] parts = key.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      ConfigValue next = current.get(parts[i]);
      if (!(next instanceof ConfigObject object)) {
        return null;
      }
      current = object;
    }
    return current.get(parts[parts.length - 1]);
  }
}
