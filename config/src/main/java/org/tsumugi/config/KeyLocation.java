package org.tsumugi.config;

import com.typesafe.config.ConfigOrigin;
import java.nio.file.Path;

/**
 * Where an option was given: its key and its place ({@code run.conf:12} or {@code command line}).
 */
public record KeyLocation(String key, String where) {

  /** The place of a value read by Typesafe Config: file:line when it came from a file, else the origin's name. */
  public static KeyLocation of(String key, ConfigOrigin origin) {
    return new KeyLocation(key, describe(origin));
  }

  public static KeyLocation of(String key, Path file, int line) {
    return new KeyLocation(key, line > 0 ? file + ":" + line : file.toString());
  }

  public static String describe(ConfigOrigin origin) {
    if (origin == null) {
      return "(unknown origin)";
    }
    String place = origin.filename() != null ? origin.filename()
        : origin.resource() != null ? origin.resource()
        : origin.url() != null ? origin.url().toString() : null;
    if (place == null) {
      return origin.description();
    }
    return origin.lineNumber() > 0 ? place + ":" + origin.lineNumber() : place;
  }

  public ConfigProblem problem(String message) {
    return new ConfigProblem(where, key, message);
  }

  public ConfigError error(String message) {
    return new ConfigError(problem(message));
  }

  /** The same place for a sub-key, e.g. {@code network_args} → {@code network_args.rank_dropout}. */
  public KeyLocation child(String subKey) {
    return new KeyLocation(key + "." + subKey, where);
  }
}
