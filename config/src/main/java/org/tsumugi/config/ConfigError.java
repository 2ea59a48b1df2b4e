package org.tsumugi.config;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration was refused; {@link #problems()} lists every problem found, each with its key and place. */
public final class ConfigError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<ConfigProblem> problems;

  public ConfigError(List<ConfigProblem> problems) {
    super(render(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigError needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public ConfigError(ConfigProblem problem) {
    this(List.of(problem));
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String render(List<ConfigProblem> problems) {
    return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
  }
}
