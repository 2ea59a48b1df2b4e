package org.tsumugi.config;

/** {@code optimizer_type} (matched case-insensitively as the reference does). */
public enum OptimizerType {
  ADAMW("AdamW"),
  ADAMW8BIT("AdamW8bit"),
  ADAFACTOR("Adafactor"),
  LION("Lion"),
  PRODIGY("Prodigy"),
  SGD("SGD"),
  ADAMW_SCHEDULE_FREE("AdamWScheduleFree");

  private final String optionName;

  OptimizerType(String optionName) {
    this.optionName = optionName;
  }

  public String optionName() {
    return optionName;
  }
}
