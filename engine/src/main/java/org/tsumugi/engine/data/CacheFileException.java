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
  private final String fault;

  public CacheFileException(Path file, String fault) {
    super(file + ": " + fault);
    this.file = file;
    this.fault = fault;
  }

  public CacheFileException(Path file, String fault, Throwable cause) {
    super(file + ": " + fault, cause);
    this.file = file;
    this.fault = fault;
  }

  public Path file() {
    return file;
  }

  /** What is wrong, without the file name. */
  public String fault() {
    return fault;
  }

  /** The same fault with where it was met added, e.g. which dataset of the dataset config. */
  public CacheFileException in(String context) {
    return new CacheFileException(file, fault + " (" + context + ")", this);
  }
}
