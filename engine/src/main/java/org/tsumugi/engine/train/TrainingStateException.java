package org.tsumugi.engine.train;

import java.nio.file.Path;

/** A file is not a training state this version can resume from. */
public final class TrainingStateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public TrainingStateException(Path file, String problem) {
    super(file + " " + problem);
    this.file = file;
  }

  public TrainingStateException(Path file, String problem, Throwable cause) {
    super(file + " " + problem, cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
