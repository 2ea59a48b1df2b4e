package org.tsumugi.engine.ema;

import java.io.IOException;

/** A post-hoc EMA merge refused before writing anything; the message names the files and tensors involved. */
public final class EmaMergeException extends IOException {
  private static final long serialVersionUID = 1L;

  public EmaMergeException(String message) {
    super(message);
  }

  public EmaMergeException(String message, Throwable cause) {
    super(message, cause);
  }
}
