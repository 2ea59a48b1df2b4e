package org.tsumugi.engine.train;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * {@code loss_type}: the element-wise loss of prediction against target (reference/training.md §3). The reference
 * trainer has only l2; l1, huber and smooth_l1 follow sd-scripts and are an extension.
 */
public enum LossType {
  L1("l1"),
  L2("l2"),
  HUBER("huber"),
  SMOOTH_L1("smooth_l1");

  private final String optionName;

  LossType(String optionName) {
    this.optionName = optionName;
  }

  public String optionName() {
    return optionName;
  }

  /** Whether the loss uses the Huber threshold c. */
  public boolean usesHuberC() {
    return this == HUBER || this == SMOOTH_L1;
  }

  public static LossType fromOption(String name) {
    for (LossType t : values()) {
      if (t.optionName.equals(name)) {
        return t;
      }
    }
    throw new TrainingOptionException("loss_type", "unknown value [" + name + "]. Select one of "
        + Arrays.stream(values()).map(LossType::optionName).collect(Collectors.toList()));
  }
}
