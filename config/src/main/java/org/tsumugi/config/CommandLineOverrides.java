package org.tsumugi.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options given on the command line with the reference's spellings, e.g.
 * {@code --learning_rate 2e-4 --network_args "k=v" "k2=v2" --gradient_checkpointing --max_train_steps 10}.
 * A flag (boolean option) takes no value, or an explicit {@code true}/{@code false}; a list option
 * ({@code network_args}, {@code optimizer_args}, {@code lr_scheduler_args}, {@code base_weights}, ...) takes every
 * following token up to the next {@code --option}; any other option takes one value. {@code --name=value} works too.
 * Sections are reached with dots: {@code --runtime.http-port 8080}. A later occurrence wins, as with argparse.
 */
public final class CommandLineOverrides {
  /** The origin named in messages about command-line values. */
  public static final String ORIGIN = "command line";

  private CommandLineOverrides() {}

  /**
   * Turns the option tokens into a config to layer over the run file.
   *
   * @throws ConfigError naming every unknown option (with the nearest known name) or malformed token
   */
  public static Config parse(String[] args) {
    return parse(args, OptionCatalog.reference());
  }

  static Config parse(String[] args, OptionCatalog catalog) {
    Map<String, Object> values = new LinkedHashMap<>();
    List<ConfigProblem> problems = new ArrayList<>();
    int i = 0;
    while (i < args.length) {
      String token = args[i++];
      if (!token.startsWith("--") || token.length() == 2) {
        problems.add(new ConfigProblem(ORIGIN, token, "unexpected value [" + token + "]; options start with --"));
        continue;
      }
      int eq = token.indexOf('=');
      String name = eq < 0 ? token.substring(2) : token.substring(2, eq);
      List<String> given = new ArrayList<>();
      if (eq >= 0) {
        given.add(token.substring(eq + 1));
      }
      OptionCatalog.Kind kind = catalog.kind(name).orElse(null);
      KeyLocation where = new KeyLocation(name, ORIGIN);
      if (kind == null || kind == OptionCatalog.Kind.SECTION) {
        problems.add(where.problem(kind == null ? unknown(catalog, name) : "--" + name
            + " is a section; give one of its options, e.g. --" + firstChild(catalog, name)));
        while (i < args.length && !args[i].startsWith("--")) {
          i++;
        }
        continue;
      }
      switch (kind) {
        case FLAG -> {
          if (given.isEmpty() && i < args.length && isBoolean(args[i])) {
            given.add(args[i++]);
          }
          values.put(name, given.isEmpty() ? Boolean.TRUE : given.get(0));
        }
        case LIST -> {
          while (i < args.length && !args[i].startsWith("--")) {
            given.add(args[i++]);
          }
          values.put(name, given);
        }
        default -> {
          if (given.isEmpty() && (i >= args.length || args[i].startsWith("--"))) {
            problems.add(where.problem("--" + name + " needs a value"));
            continue;
          }
          values.put(name, given.isEmpty() ? args[i++] : given.get(0));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigError(problems);
    }
    return ConfigFactory.parseMap(values, ORIGIN);
  }

  private static String unknown(OptionCatalog catalog, String name) {
    if (name.equals("config")) {
      return "--config names the run file; the tsumugi command reads it before the options";
    }
    return catalog.unknown(name, name.contains(".") ? name.substring(0, name.lastIndexOf('.') + 1) : "");
  }

  private static String firstChild(OptionCatalog catalog, String section) {
    return catalog.names().stream().filter(n -> n.startsWith(section + ".")).findFirst().orElse(section);
  }

  private static boolean isBoolean(String token) {
    return token.equalsIgnoreCase("true") || token.equalsIgnoreCase("false");
  }
}
