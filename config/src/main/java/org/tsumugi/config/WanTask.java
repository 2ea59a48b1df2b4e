package org.tsumugi.config;

/** {@code task}: the Wan model preset (reference/wan-model.md §1.1; the reference's argparse choices, case-sensitive). */
public enum WanTask {
  T2V_1_3B("t2v-1.3B", 30),
  T2V_14B("t2v-14B", 40),
  I2V_14B("i2v-14B", 40),
  T2I_14B("t2i-14B", 40),
  FLF2V_14B("flf2v-14B", 40),
  T2V_1_3B_FC("t2v-1.3B-FC", 30),
  T2V_14B_FC("t2v-14B-FC", 40),
  I2V_14B_FC("i2v-14B-FC", 40),
  T2V_A14B("t2v-A14B", 40),
  I2V_A14B("i2v-A14B", 40);

  private final String optionName;
  private final int numBlocks;

  WanTask(String optionName, int numBlocks) {
    this.optionName = optionName;
    this.numBlocks = numBlocks;
  }

  public String optionName() {
    return optionName;
  }

  /** Transformer blocks of the DiT (num_layers). */
  public int numBlocks() {
    return numBlocks;
  }

  /** Image-conditioned training (the reference: task contains "i2v" or "flf2v"). */
  public boolean isImageToVideo() {
    return optionName.contains("i2v") || optionName.contains("flf2v");
  }
}
