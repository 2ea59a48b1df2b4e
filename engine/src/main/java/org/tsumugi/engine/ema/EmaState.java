package org.tsumugi.engine.ema;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * Where a live EMA stands: the accumulator file holding the running float32 average, and how many checkpoints it has
 * folded (the first checkpoint counts as one). Small and serialisable, for the run ledger.
 */
public record EmaState(String accumulatorFile, int folded) implements Serializable {

  public EmaState {
    if (folded < 1) {
      throw new IllegalArgumentException("an EMA state has folded at least its first checkpoint, got " + folded);
    }
  }

  public static EmaState of(Path accumulator, int folded) {
    return new EmaState(accumulator.toString(), folded);
  }

  public Path accumulator() {
    return Path.of(accumulatorFile);
  }
}
