package org.tsumugi.actors.run;

import org.tsumugi.actors.training.BatchSource;
import org.tsumugi.config.TsumugiConfig;
import org.tsumugi.config.dataset.DatasetConfig;

/**
 * Everything the RunSupervisor needs to run (or continue) one run.
 *
 * @param config the options with the run's seed set ({@link ResolvedConfig#withSeed})
 * @param dataset the dataset config (for ss_datasets)
 * @param source the run's batches in their deterministic order
 * @param startedAtMillis the run's start time as first recorded (LoRA metadata times derive from it)
 */
public record RunSpec(TsumugiConfig config, DatasetConfig dataset, BatchSource source, RunDirectory directory,
    long startedAtMillis, ResolvedConfig resolved, Mode mode) {

  /** A fresh run refuses a directory that holds one; a resume continues it. */
  public enum Mode { START, RESUME }

  public long seed() {
    return config.training().seed().orElseThrow();
  }

  public String runName() {
    return config.save().outputName();
  }
}
