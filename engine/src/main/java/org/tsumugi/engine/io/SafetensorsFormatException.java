package org.tsumugi.engine.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not a valid safetensors file (or shard index); the message names the file and the fault. */
public final class SafetensorsFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public SafetensorsFormatException(Path file, String fault) {
    super(file + ": " + fault);
    this.file = file;
  }

  public SafetensorsFormatException(Path file, String fault, Throwable cause) {
    super(file + ": " + fault, cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
