package org.tsumugi.config;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options Tsumugi knows: every key under {@code tsumugi} in reference.conf, with its kind derived from its default
 * (a boolean is a flag, a list takes several command-line values, an object is a section of further options).
 */
public final class OptionCatalog {
  /** The root object of the options in reference.conf. */
  public static final String ROOT = "tsumugi";

  /** How an option takes its value on the command line. */
  public enum Kind { FLAG, LIST, SCALAR, SECTION }

  private final ConfigObject defaults;
  private final Map<String, Kind> kinds;

  private OptionCatalog(ConfigObject defaults) {
    this.defaults = defaults;
    Map<String, Kind> map = new LinkedHashMap<>();
    collect(defaults, "", map);
    this.kinds = Collections.unmodifiableMap(map);
  }

  /** The options of every reference.conf on the class path (this module's, and any other module's additions). */
  public static OptionCatalog reference() {
    return Reference.CATALOG;
  }

  /** Read once, on first use. */
  private static final class Reference {
    static final OptionCatalog CATALOG = load();
  }

  private static OptionCatalog load() {
    // Not defaultReference(): it layers system properties over reference.conf, and -Dtsumugi.x must not become an option.
    ConfigValue root = ConfigFactory.parseResources(OptionCatalog.class.getClassLoader(), "reference.conf")
        .resolve().root().get(ROOT);
    if (!(root instanceof ConfigObject object)) {
      throw new IllegalStateException("reference.conf has no " + ROOT + " object");
    }
    return new OptionCatalog(object);
  }

  public ConfigObject defaults() {
    return defaults;
  }

  /** Every option name, dotted inside sections ({@code runtime.http-port}), sections included. */
  public Set<String> names() {
    return kinds.keySet();
  }

  public Optional<Kind> kind(String name) {
    return Optional.ofNullable(kinds.get(name));
  }

  /** Problems for every key of {@code user} (an options object) that is unknown or not supported. */
  List<ConfigProblem> checkKeys(ConfigObject user) {
    List<ConfigProblem> problems = new ArrayList<>();
    checkKeys(user, "", problems);
    return problems;
  }

  private void checkKeys(ConfigObject user, String prefix, List<ConfigProblem> problems) {
    for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
      String name = prefix + entry.getKey();
      KeyLocation where = KeyLocation.of(name, entry.getValue().origin());
      Kind kind = kinds.get(name);
      if (kind == null) {
        problems.add(where.problem(unknown(name, prefix)));
      } else if (kind == Kind.SECTION) {
        if (entry.getValue() instanceof ConfigObject section) {
          checkKeys(section, name + ".", problems);
        } else if (entry.getValue().valueType() != ConfigValueType.NULL) {
          problems.add(where.problem(name + " must be an object with the keys " + childNames(name + ".")));
        }
      }
    }
  }

  /** The message for a key Tsumugi does not know: not supported (with why), or unknown (with the nearest name). */
  String unknown(String name, String prefix) {
    String reason = prefix.isEmpty() ? UnsupportedOptions.reasons().get(name) : null;
    if (reason != null) {
      return name + " is not supported by Tsumugi: " + reason;
    }
    List<String> candidates = prefix.isEmpty() ? new ArrayList<>(kinds.keySet()) : childNames(prefix);
    return "unknown option " + name + "." + NearestName.hint(candidates, name);
  }

  private List<String> childNames(String prefix) {
    List<String> names = new ArrayList<>();
    for (String n : kinds.keySet()) {
      if (n.startsWith(prefix) && n.indexOf('.', prefix.length()) < 0) {
        names.add(n);
      }
    }
    return names;
  }

  private static void collect(ConfigObject object, String prefix, Map<String, Kind> out) {
    for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
      String name = prefix + entry.getKey();
      ConfigValue value = entry.getValue();
      switch (value.valueType()) {
        case OBJECT -> {
          out.put(name, Kind.SECTION);
          collect((ConfigObject) value, name + ".", out);
        }
        case BOOLEAN -> out.put(name, Kind.FLAG);
        case LIST -> out.put(name, Kind.LIST);
        default -> out.put(name, Kind.SCALAR);
      }
    }
  }
}
