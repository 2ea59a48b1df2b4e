package org.tsumugi.engine.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A cache file (or cache directory) that cannot be used for training: unreadable, corrupt, or not fitting the dataset
 * and model. The message names the file and what is wrong; {@link #file()} gives the file.
 */
public final class CacheFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public CacheFileException(Path file, String fault) {
    super(file + ": " + fault);
    this.file = file;
  }

  public CacheFileException(Path file, String fault, Throwable cause) {
    super(file + ": " + fault, cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
