package org.tsumugi.actors.run;

import java.nio.file.Path;

/** A run directory cannot be used: held by another process, not a run, unwritable. */
public final class RunDirectoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RunDirectoryException(Path dir, String problem) {
    super("run directory " + dir + " " + problem);
  }

  public RunDirectoryException(Path dir, String problem, Throwable cause) {
    super("run directory " + dir + " " + problem, cause);
  }
}
