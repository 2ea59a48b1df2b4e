package org.tsumugi.config.dataset;

/** The docs-style dataset TOML, shared with the fuzz test of the parent package. */
public final class DatasetConfigTestFixtures {
  public static final String TOML = DatasetConfigTest.TOML;

  private DatasetConfigTestFixtures() {}
}
