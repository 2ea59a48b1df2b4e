package org.tsumugi.config;

/**
 * One thing wrong with the configuration.
 *
 * @param where file and line ({@code run.conf:12}), or {@code command line}
 * @param key the option's name as the user wrote it (dotted for nested keys)
 * @param message what is wrong and what is allowed; it names the key itself
 */
public record ConfigProblem(String where, String key, String message) {

  @Override
  public String toString() {
    return where + ": " + message;
  }
}
