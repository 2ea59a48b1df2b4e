package org.tsumugi.ops.monitor;

import java.io.IOException;
import java.nio.file.Path;

/** A TFRecord file's framing does not hold: a checksum differs or a record is cut short. */
public final class TfRecordCorruptException extends IOException {

  private static final long serialVersionUID = 1L;

  public TfRecordCorruptException(Path file, int record, long offset, String problem) {
    super(file + ": record " + record + " at byte " + offset + ": " + problem);
  }
}
