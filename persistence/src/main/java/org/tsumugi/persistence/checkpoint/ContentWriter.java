package org.tsumugi.persistence.checkpoint;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a file's whole content to the stream it is given (closing the stream is allowed but not needed). */
@FunctionalInterface
public interface ContentWriter {
  void writeTo(OutputStream out) throws IOException;
}
