package org.tsumugi.persistence.checkpoint;

import java.nio.file.Path;

/** A stored file is missing or differs from what was recorded when it was written; it must not be used. */
public final class CheckpointVerificationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path path;

  public CheckpointVerificationException(Path path, String problem) {
    super("refusing " + path + ": " + problem);
    this.path = path;
  }

  public CheckpointVerificationException(Path path, String problem, Throwable cause) {
    super("refusing " + path + ": " + problem, cause);
    this.path = path;
  }

  public Path path() {
    return path;
  }
}
