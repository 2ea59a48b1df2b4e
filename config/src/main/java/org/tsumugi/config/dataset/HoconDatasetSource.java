package org.tsumugi.config.dataset;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tsumugi.config.ConfigError;
import org.tsumugi.config.ConfigProblem;
import org.tsumugi.config.KeyLocation;

/** Reads a dataset file in HOCON or JSON (same keys as the reference's TOML) into a {@link SourceTable}. */
final class HoconDatasetSource {
  private HoconDatasetSource() {}

  static SourceTable read(Path file) {
    ConfigObject root;
    try {
      ConfigSyntax syntax = file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json")
          ? ConfigSyntax.JSON : ConfigSyntax.CONF;
      root = ConfigFactory.parseFile(file.toFile(),
          ConfigParseOptions.defaults().setSyntax(syntax).setAllowMissing(false)).resolve().root();
    } catch (ConfigException e) {
      throw new ConfigError(new ConfigProblem(KeyLocation.describe(e.origin()), "",
          "cannot read the dataset config: " + e.getMessage()));
    }
    return table(root, file + ":1");
  }

  private static SourceTable table(ConfigObject object, String where) {
    // ConfigObject keeps no file order; sorting by line keeps messages in reading order.
    List<Map.Entry<String, ConfigValue>> sorted = new ArrayList<>(object.entrySet());
    sorted.sort(java.util.Comparator.comparingInt(e -> e.getValue().origin().lineNumber()));
    Map<String, SourceValue> entries = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> entry : sorted) {
      entries.put(entry.getKey(), value(entry.getValue()));
    }
    return new SourceTable(entries, where);
  }

  private static SourceValue value(ConfigValue value) {
    String where = KeyLocation.describe(value.origin());
    return switch (value.valueType()) {
      case OBJECT -> new SourceValue(table((ConfigObject) value, where), where);
      case LIST -> {
        List<SourceValue> items = new ArrayList<>();
        for (ConfigValue item : (ConfigList) value) {
          items.add(value(item));
        }
        yield new SourceValue(List.copyOf(items), where);
      }
      case NUMBER -> {
        Number n = (Number) value.unwrapped();
        yield new SourceValue(n instanceof Double ? n : (Object) n.longValue(), where);
      }
      case NULL -> new SourceValue(null, where);
      default -> new SourceValue(value.unwrapped(), where);
    };
  }
}
