package org.tsumugi.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link TsumugiConfig} from a run file and command-line overrides, over reference.conf.
 *
 * <p>The run file is HOCON ({@code .conf}) with the options at its top level or inside {@code tsumugi { }}; a
 * {@code pekko { }} block is passed over for the actor runtime. A {@code .toml} file is read as the reference's
 * {@code --config_file}: top-level keys and the keys of top-level tables, flattened. Everything wrong is reported
 * at once in one {@link ConfigError}: unknown or unsupported keys, wrong types, values out of range, contradictions.
 */
public final class ConfigLoader {
  /** A root key of the run file that belongs to the actor runtime, not to the options. */
  private static final String PEKKO = "pekko";

  private ConfigLoader() {}

  /**
   * @param overrides option tokens from the command line ({@code --learning_rate 2e-4 ...}), may be empty
   * @throws ConfigError listing every problem, each with its key and file:line (or "command line")
   */
  public static TsumugiConfig load(Path runFile, String... overrides) {
    List<ConfigProblem> problems = new ArrayList<>();
    Config commandLine = ConfigFactory.empty();
    try {
      commandLine = CommandLineOverrides.parse(overrides);
    } catch (ConfigError e) {
      problems.addAll(e.problems());
    }
    ConfigObject options = readRunFile(runFile, problems);
    return build(options, commandLine, runFile.toString(), problems);
  }

  /**
   * Only the timestep options (for {@code show-timesteps}), from an optional run file and overrides; the rest of the
   * run's options are checked for known keys but not required.
   */
  public static TimestepConfig loadTimesteps(java.util.Optional<Path> runFile, String... overrides) {
    List<ConfigProblem> problems = new ArrayList<>();
    Config commandLine = ConfigFactory.empty();
    try {
      commandLine = CommandLineOverrides.parse(overrides);
    } catch (ConfigError e) {
      problems.addAll(e.problems());
    }
    ConfigObject fileOptions = runFile.isPresent() ? readRunFile(runFile.get(), problems) : ConfigFactory.empty().root();
    OptionCatalog catalog = OptionCatalog.reference();
    problems.addAll(catalog.checkKeys(fileOptions));
    problems.addAll(catalog.checkKeys(commandLine.root()));
    ConfigObject merged = commandLine.root().withFallback(fileOptions).withFallback(catalog.defaults());
    OptionReader reader = new OptionReader(merged, catalog.defaults(), runFile.map(Path::toString).orElse("command line"));
    TimestepConfig timesteps = TimestepConfig.read(reader);
    problems.addAll(reader.problems());
    if (!problems.isEmpty()) {
      throw new ConfigError(problems);
    }
    return timesteps;
  }

  private static TsumugiConfig build(ConfigObject fileOptions, Config commandLine, String runFile,
      List<ConfigProblem> problems) {
    OptionCatalog catalog = OptionCatalog.reference();
    problems.addAll(catalog.checkKeys(fileOptions));
    problems.addAll(catalog.checkKeys(commandLine.root()));
    ConfigObject merged = commandLine.root().withFallback(fileOptions).withFallback(catalog.defaults());
    OptionReader reader = new OptionReader(merged, catalog.defaults(), runFile);
    TsumugiConfig config = TsumugiConfig.read(reader);
    problems.addAll(reader.problems());
    if (!problems.isEmpty()) {
      throw new ConfigError(problems);
    }
    return config;
  }

  private static ConfigObject readRunFile(Path runFile, List<ConfigProblem> problems) {
    if (!Files.isRegularFile(runFile)) {
      problems.add(new ConfigProblem(runFile.toString(), "", "run file not found: " + runFile.toAbsolutePath()));
      return ConfigFactory.empty().root();
    }
    if (runFile.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".toml")) {
      try {
        return TomlRunFile.read(runFile);
      } catch (ConfigError e) {
        problems.addAll(e.problems());
        return ConfigFactory.empty().root();
      }
    }
    try {
      Config parsed = ConfigFactory.parseFile(runFile.toFile(),
          ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false)).resolve();
      return optionsOf(parsed.root(), problems);
    } catch (ConfigException e) {
      problems.add(new ConfigProblem(KeyLocation.describe(e.origin()), "", "cannot read the run file: "
          + e.getMessage()));
      return ConfigFactory.empty().root();
    }
  }

  /** The options object: {@code tsumugi { }} when present, else the file's top level; {@code pekko} set aside. */
  private static ConfigObject optionsOf(ConfigObject root, List<ConfigProblem> problems) {
    ConfigValue wrapped = root.get(OptionCatalog.ROOT);
    if (wrapped == null) {
      return root.withoutKey(PEKKO);
    }
    for (Map.Entry<String, ConfigValue> entry : root.entrySet()) {
      String key = entry.getKey();
      if (!key.equals(OptionCatalog.ROOT) && !key.equals(PEKKO)) {
        problems.add(KeyLocation.of(key, entry.getValue().origin()).problem("unknown top-level key " + key
            + "; with a " + OptionCatalog.ROOT + " { } block, options go inside it"));
      }
    }
    if (!(wrapped instanceof ConfigObject object)) {
      problems.add(KeyLocation.of(OptionCatalog.ROOT, wrapped.origin()).problem(OptionCatalog.ROOT
          + " must be an object holding the options"));
      return ConfigFactory.empty().root();
    }
    return object;
  }
}
