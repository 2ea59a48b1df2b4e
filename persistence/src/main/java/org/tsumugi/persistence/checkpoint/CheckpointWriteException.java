package org.tsumugi.persistence.checkpoint;

import java.nio.file.Path;

/**
 * A file could not be written (disk full, directory missing or unwritable, content writer failed). Nothing was
 * left behind: no temporary file, and the target is as it was before.
 */
public final class CheckpointWriteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path path;
  private final String reason;

  public CheckpointWriteException(Path path, String reason, Throwable cause) {
    super("cannot write " + path + ": " + reason, cause);
    this.path = path;
    this.reason = reason;
  }

  public Path path() {
    return path;
  }

  public String reason() {
    return reason;
  }
}
