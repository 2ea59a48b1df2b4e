package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * torch's {@code lerp_} in place, with its two formulas: for |w| &lt; 0.5 {@code self + w·(end − self)}, otherwise
 * {@code end − (end − self)·(1 − w)}, the weight rounded to float32 first. AdamW's first moment and the schedule-free
 * interpolations are lerps in the reference.
 */
final class Lerp {
  private static final NDIndex ALL = new NDIndex("...");

  private Lerp() {}

  static void inPlace(NDArray self, NDArray end, double weight) {
    float w = (float) weight;
    try (NDArray diff = end.sub(self)) {
      if (Math.abs(w) < 0.5f) {
        self.addi(diff.muli(w));
      } else {
        try (NDArray result = end.sub(diff.muli(1f - w))) {
          assign(self, result);
        }
      }
    }
  }

  /** Copies {@code value} into {@code target} natively (target may be a parameter that requires a gradient). */
  static void assign(NDArray target, NDArray value) {
    target.set(ALL, value);
  }
}
