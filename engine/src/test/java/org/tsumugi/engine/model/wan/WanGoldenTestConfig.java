package org.tsumugi.engine.model.wan;

/** The sizes of golden/wan21-tiny (its config.json), written out so a parsing mistake cannot hide. */
public final class WanGoldenTestConfig {

  public static final WanConfig TINY = new WanConfig(64, 128, 32, 48, 16, 16, 16, 4, 2, 1e-6f, false);

  private WanGoldenTestConfig() {}
}
