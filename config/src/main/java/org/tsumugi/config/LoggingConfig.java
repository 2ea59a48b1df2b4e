package org.tsumugi.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TensorBoard logging (reference/training.md §6): enabled when {@code logging_dir} is set.
 *
 * @param logTrackerName {@code log_tracker_name}; the reference's None is "network_train"
 * @param logConfig {@code log_config}: also log the options as hyper-parameters
 */
public record LoggingConfig(
    Optional<Path> loggingDir,
    Optional<String> logPrefix,
    String logTrackerName,
    boolean logConfig) {

  public boolean enabled() {
    return loggingDir.isPresent();
  }

  static LoggingConfig read(OptionReader r) {
    Optional<Path> dir = r.optionalPath("logging_dir");
    r.optionalText("log_with").ifPresent(with -> {
      switch (with) {
        case "tensorboard" -> r.require(dir.isPresent(), "log_with", "log_with tensorboard needs logging_dir");
        case "wandb", "all" -> r.report(r.at("log_with"), "log_with " + with + " is not supported by Tsumugi: "
            + UnsupportedOptions.reasons().get("wandb_api_key"));
        default -> r.report(r.at("log_with"), "unknown log_with [" + with + "]. Select one of [tensorboard]");
      }
    });
    return new LoggingConfig(dir, r.optionalText("log_prefix"),
        r.optionalText("log_tracker_name").orElse("network_train"), r.flag("log_config"));
  }
}
