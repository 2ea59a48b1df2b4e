package org.tsumugi.engine.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything an optimizer needs to continue exactly where it stopped, as plain values (STYLE.md §5: nothing resume
 * needs hides in a private map).
 *
 * @param tensors state tensors by name ({@code <parameter>.exp_avg}, {@code <parameter>.state1}, ...)
 * @param scalars counters and estimates by name ({@code d}, {@code group0.weight_sum}, {@code <parameter>.step},
 *     ...); flags are stored as 0/1
 * @param steps optimizer updates done so far
 */
public record OptimizerState(Map<String, StateTensor> tensors, Map<String, Double> scalars, long steps) {

  public OptimizerState {
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    scalars = Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
  }

  /** The named counter; a missing one is an error naming it. */
  public double scalar(String key) {
    Double value = scalars.get(key);
    if (value == null) {
      throw new OptimizerStateException("optimizer state has no scalar " + key + "; it has " + scalars.keySet());
    }
    return value;
  }
}
