package org.tsumugi.engine.train;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * {@code huber_schedule}: how the Huber threshold c depends on the noise level σ ∈ [0, 1] (σ = 1 pure noise). sd-scripts
 * defines it on its timestep T, which its flow-matching trainers set to 1000·σ; see {@link LossFunction}.
 */
public enum HuberSchedule {
  CONSTANT("constant"),
  EXPONENTIAL("exponential"),
  SNR("snr");

  private final String optionName;

  HuberSchedule(String optionName) {
    this.optionName = optionName;
  }

  public String optionName() {
    return optionName;
  }

  public static HuberSchedule fromOption(String name) {
    for (HuberSchedule s : values()) {
      if (s.optionName.equals(name)) {
        return s;
      }
    }
    throw new TrainingOptionException("huber_schedule", "unknown value [" + name + "]. Select one of "
        + Arrays.stream(values()).map(HuberSchedule::optionName).collect(Collectors.toList()));
  }
}
