package org.tsumugi.engine.tensor;

/** Raised when a set of named tensors does not have the keys or shapes a model needs; the message names the key. */
public final class ShapeMismatchException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ShapeMismatchException(String message) {
    super(message);
  }
}
