package org.tsumugi.config.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tsumugi.config.ConfigProblem;
import org.tsumugi.config.NearestName;

/**
 * Typed reads of one table of a dataset file ([general] or one [[datasets]] entry). Wrong types are recorded as
 * problems naming the key, the file:line and the type allowed, and read as absent.
 */
final class DatasetSection {
  private final SourceTable table;
  private final String name;
  private final List<ConfigProblem> problems;

  /** @param name how the table is named in messages, e.g. "[general]" or "[[datasets]] #2" */
  DatasetSection(SourceTable table, String name, List<ConfigProblem> problems) {
    this.table = table;
    this.name = name;
    this.problems = problems;
  }

  String name() {
    return name;
  }

  String where() {
    return table.where();
  }

  boolean has(String key) {
    SourceValue v = table.entries().get(key);
    return v != null && v.value() != null;
  }

  String whereOf(String key) {
    SourceValue v = table.entries().get(key);
    return v == null ? table.where() : v.where();
  }

  void report(String key, String message) {
    problems.add(new ConfigProblem(whereOf(key), key, message));
  }

  /** Refuses keys outside {@code allowed}, with {@code explain} adding why for keys known elsewhere. */
  void refuseUnknown(Set<String> allowed, Map<String, String> explain) {
    for (String key : table.entries().keySet()) {
      if (!allowed.contains(key)) {
        String why = explain.getOrDefault(key, "");
        report(key, "unknown key " + key + " in " + name + "." + (why.isEmpty()
            ? NearestName.hint(allowed, key) : " " + why));
      }
    }
  }

  Optional<String> string(String key) {
    return typed(key, String.class, "a string");
  }

  Optional<Boolean> bool(String key) {
    return typed(key, Boolean.class, "true or false");
  }

  Optional<Integer> integer(String key, int min) {
    Optional<Long> value = typed(key, Long.class, "an integer");
    if (value.isPresent() && (value.get() < min || value.get() > Integer.MAX_VALUE)) {
      report(key, key + " in " + name + " must be at least " + min + ", got " + value.get());
      return Optional.empty();
    }
    return value.map(Long::intValue);
  }

  /** A float; a whole number is accepted too (the reference insists on writing 30.0 for source_fps). */
  Optional<Double> number(String key) {
    SourceValue v = table.entries().get(key);
    if (v != null && v.value() instanceof Long l) {
      return Optional.of(l.doubleValue());
    }
    return typed(key, Double.class, "a number");
  }

  /** An int {@code v} (meaning v×v) or a list [W, H] of positive ints. */
  Optional<Resolution> resolution(String key) {
    SourceValue v = table.entries().get(key);
    if (v == null || v.value() == null) {
      return Optional.empty();
    }
    if (v.value() instanceof Long side && side > 0 && side <= Integer.MAX_VALUE) {
      return Optional.of(new Resolution(side.intValue(), side.intValue()));
    }
    if (v.value() instanceof List) {
      Optional<List<Integer>> pair = ints(key, 1);
      if (pair.isEmpty()) {
        return Optional.empty();
      }
      if (pair.get().size() == 2) {
        return Optional.of(new Resolution(pair.get().get(0), pair.get().get(1)));
      }
    }
    report(key, key + " in " + name + " must be a positive integer or a list [width, height] of two, got "
        + v.describe());
    return Optional.empty();
  }

  /** A list of integers, each at least {@code min}. */
  Optional<List<Integer>> ints(String key, int min) {
    SourceValue v = table.entries().get(key);
    if (v == null || v.value() == null) {
      return Optional.empty();
    }
    if (!(v.value() instanceof List<?> items)) {
      report(key, key + " in " + name + " must be a list of integers, got " + v.describe());
      return Optional.empty();
    }
    List<Integer> out = new ArrayList<>();
    for (Object item : items) {
      SourceValue element = (SourceValue) item;
      if (!(element.value() instanceof Long l) || l < min || l > Integer.MAX_VALUE) {
        problems.add(new ConfigProblem(element.where(), key, key + " in " + name + " must hold integers of at least "
            + min + ", got " + element.describe()));
        return Optional.empty();
      }
      out.add(l.intValue());
    }
    return Optional.of(List.copyOf(out));
  }

  private <T> Optional<T> typed(String key, Class<T> type, String expected) {
    SourceValue v = table.entries().get(key);
    if (v == null || v.value() == null) {
      return Optional.empty();
    }
    if (!type.isInstance(v.value())) {
      report(key, key + " in " + name + " must be " + expected + ", got " + v.describe());
      return Optional.empty();
    }
    return Optional.of(type.cast(v.value()));
  }
}
