package org.tsumugi.config.dataset;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.tsumugi.config.ConfigError;
import org.tsumugi.config.ConfigProblem;

/**
 * A dataset config in the reference's schema ({@code [general]} + {@code [[datasets]]}), from TOML or HOCON.
 *
 * @param datasets each dataset with every value resolved (dataset → general → default)
 */
public record DatasetConfig(DatasetGeneral general, List<DatasetSpec> datasets) {

  public DatasetConfig {
    datasets = List.copyOf(datasets);
  }

  /**
   * Reads {@code file}: {@code .toml} as the reference's TOML, {@code .conf} as HOCON with the same keys,
   * {@code .json} as JSON (which the reference also reads).
   *
   * @throws ConfigError listing every problem, each with its file:line, key and what is allowed
   */
  public static DatasetConfig load(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    SourceTable root;
    if (name.endsWith(".toml")) {
      root = TomlDatasetSource.read(file);
    } else if (name.endsWith(".conf") || name.endsWith(".json")) {
      root = HoconDatasetSource.read(file);
    } else {
      throw new ConfigError(new ConfigProblem(file.toString(), "", "dataset config must be a .toml or .json (the "
          + "reference's formats) or .conf (HOCON) file"));
    }
    return DatasetConfigReader.read(root, file.toString());
  }
}
