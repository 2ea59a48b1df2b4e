package org.tsumugi.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * A run file in the reference's {@code --config_file} TOML form (reference/training.md §9): top-level keys and the
 * keys of top-level tables land in one namespace (table names are ignored, one level only). Each value keeps its
 * file:line so that problems are reported where they are.
 */
final class TomlRunFile {
  private TomlRunFile() {}

  static ConfigObject read(Path file) {
    TomlParseResult toml = parse(file);
    Map<String, Object> flat = new LinkedHashMap<>();
    List<ConfigProblem> problems = new ArrayList<>();
    for (String key : toml.keySet()) {
      Object value = toml.get(List.of(key));
      if (value instanceof TomlTable table) {
        for (String inner : table.keySet()) {
          put(flat, inner, table.get(List.of(inner)), KeyLocation.of(inner, file,
              table.inputPositionOf(List.of(inner)).line()), problems);
        }
      } else {
        put(flat, key, value, KeyLocation.of(key, file, toml.inputPositionOf(List.of(key)).line()), problems);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigError(problems);
    }
    return ConfigValueFactory.fromMap(flat, file.toString());
  }

  private static void put(Map<String, Object> flat, String key, Object value, KeyLocation where,
      List<ConfigProblem> problems) {
    if (flat.containsKey(key)) {
      problems.add(where.problem(key + " is given twice (table names are ignored, as in the reference)"));
      return;
    }
    Object plain = plain(value);
    if (plain == null) {
      problems.add(where.problem(key + " must be a string, number, boolean or list"));
      return;
    }
    flat.put(key, ConfigValueFactory.fromAnyRef(plain, where.where()));
  }

  /** tomlj values as Typesafe accepts them; null for dates and nested tables. */
  private static Object plain(Object value) {
    if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean) {
      return value;
    }
    if (value instanceof TomlArray array) {
      List<Object> items = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        Object item = plain(array.get(i));
        if (item == null) {
          return null;
        }
        items.add(item);
      }
      return items;
    }
    return null;
  }

  static TomlParseResult parse(Path file) {
    TomlParseResult result;
    try {
      result = Toml.parse(file);
    } catch (IOException e) {
      throw new ConfigError(new ConfigProblem(file.toString(), "", "cannot read " + file + ": " + e.getMessage()));
    } catch (RuntimeException | StackOverflowError | AssertionError e) {
      // tomlj asserts on some malformed escapes after a syntax error (seen with -ea); treat it as unparseable.
      throw new ConfigError(new ConfigProblem(file.toString(), "", "cannot parse the TOML file: " + e));
    }
    if (result.hasErrors()) {
      List<ConfigProblem> problems = new ArrayList<>();
      result.errors().forEach(e -> problems.add(new ConfigProblem(file + ":" + e.position().line(), "",
          "TOML syntax: " + e.getMessage())));
      throw new ConfigError(problems);
    }
    return result;
  }
}
