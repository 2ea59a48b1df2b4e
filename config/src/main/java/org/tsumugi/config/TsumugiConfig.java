package org.tsumugi.config;

import java.nio.file.Path;

/**
 * Every option of one run, read once from reference.conf, the run file and the command line by {@link ConfigLoader};
 * the rest of Tsumugi reads these records, never raw config.
 *
 * @param datasetConfig {@code dataset_config}: the dataset file, read by
 *     {@link org.tsumugi.config.dataset.DatasetConfig#load(Path)}
 */
public record TsumugiConfig(
    ModelConfig model,
    Path datasetConfig,
    NetworkConfig network,
    OptimizerConfig optimizer,
    LrSchedulerConfig lrScheduler,
    TimestepConfig timesteps,
    TrainingConfig training,
    SaveConfig save,
    LoggingConfig logging,
    MetadataConfig metadata,
    RuntimeConfig runtime,
    PostHocEmaConfig postHocEma) {

  static TsumugiConfig read(OptionReader r) {
    TsumugiConfig config = new TsumugiConfig(
        ModelConfig.read(r),
        r.requiredPath("dataset_config", "the dataset config (.toml or .conf)"),
        NetworkConfig.read(r),
        OptimizerConfig.read(r),
        LrSchedulerConfig.read(r),
        TimestepConfig.read(r),
        TrainingConfig.read(r),
        SaveConfig.read(r),
        LoggingConfig.read(r),
        MetadataConfig.read(r),
        RuntimeConfig.read(r),
        PostHocEmaConfig.read(r));
    config.checkAcrossSections(r);
    return config;
  }

  private void checkAcrossSections(OptionReader r) {
    if (r.problems().isEmpty() && optimizer.adafactorRelativeStep()) {
      // The reference swaps in Adafactor's own schedule, which refuses a warmup (reference/training.md §4.2).
      r.require(lrScheduler.lrWarmupSteps().equals(StepCount.zero()), "lr_warmup_steps",
          "optimizer_type Adafactor with relative_step sets its own schedule and takes no lr_warmup_steps;"
              + " set optimizer_args relative_step=False or lr_warmup_steps = 0");
    }
    if (lrScheduler.lrScheduler() == LrSchedulerType.REX && training.maxTrainEpochs().isEmpty()) {
      long warmup = lrScheduler.lrWarmupSteps().resolve(training.maxTrainSteps());
      r.require(warmup <= training.maxTrainSteps(), "lr_warmup_steps", "lr_scheduler rex needs lr_warmup_steps ("
          + warmup + ") at most max_train_steps (" + training.maxTrainSteps() + ")");
    }
  }
}
