package org.tsumugi.ops.monitor;

import java.io.IOException;
import java.nio.file.Path;

/** A complete line of a run's event log is not a run event. */
public final class RunLogCorruptException extends IOException {

  private static final long serialVersionUID = 1L;

  public RunLogCorruptException(Path file, long line, String problem) {
    super(file + ":" + line + ": not a run event (" + problem + "); each line must be one JSON object with a "
        + "\"type\" naming a RunEvent");
  }
}
