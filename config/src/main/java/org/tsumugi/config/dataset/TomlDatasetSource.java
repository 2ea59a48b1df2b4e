package org.tsumugi.config.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;
import org.tsumugi.config.ConfigError;
import org.tsumugi.config.ConfigProblem;

/** Reads a dataset file in the reference's TOML into a {@link SourceTable}, keeping each key's line. */
final class TomlDatasetSource {
  private final String file;

  private TomlDatasetSource(Path file) {
    this.file = file.toString();
  }

  static SourceTable read(Path file) {
    TomlParseResult result;
    try {
      result = Toml.parse(file);
    } catch (IOException e) {
      throw new ConfigError(new ConfigProblem(file.toString(), "", "cannot read the dataset config: " + e));
    } catch (RuntimeException | StackOverflowError | AssertionError e) {
      // tomlj asserts on some malformed escapes after a syntax error (seen with -ea); treat it as unparseable.
      throw new ConfigError(new ConfigProblem(file.toString(), "", "cannot parse the dataset config: " + e));
    }
    if (result.hasErrors()) {
      List<ConfigProblem> problems = new ArrayList<>();
      result.errors().forEach(e -> problems.add(new ConfigProblem(file + ":" + e.position().line(), "",
          "TOML syntax: " + e.getMessage())));
      throw new ConfigError(problems);
    }
    return new TomlDatasetSource(file).table(result, file + ":1");
  }

  private SourceTable table(TomlTable toml, String where) {
    Map<String, SourceValue> entries = new LinkedHashMap<>();
    for (String key : toml.keySet()) {
      List<String> path = List.of(key);
      entries.put(key, value(toml.get(path), place(toml.inputPositionOf(path))));
    }
    return new SourceTable(entries, where);
  }

  private SourceValue value(Object value, String where) {
    if (value instanceof TomlTable t) {
      return new SourceValue(table(t, where), where);
    }
    if (value instanceof TomlArray array) {
      List<SourceValue> items = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        items.add(value(array.get(i), place(array.inputPositionOf(i))));
      }
      return new SourceValue(List.copyOf(items), where);
    }
    return new SourceValue(value, where);
  }

  private String place(TomlPosition position) {
    return position == null ? file : file + ":" + position.line();
  }
}
