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
    LrSchedulerType scheduler = lrScheduler.lrScheduler();
    // With problems reported already (e.g. optimizer_args), relative_step may be a fallback: check nothing about it.
    boolean clean = r.problems().isEmpty();
    boolean relativeStep = clean && optimizer.adafactorRelativeStep();
    if (relativeStep) {
      // The reference swaps in Adafactor's own schedule, which refuses a warmup (reference/training.md §4.2).
      r.require(lrScheduler.lrWarmupSteps().equals(StepCount.zero()), "lr_warmup_steps",
          "optimizer_type Adafactor with relative_step sets its own schedule and takes no lr_warmup_steps;"
              + " set optimizer_args relative_step=False or lr_warmup_steps = 0");
      // The reference silently replaces any other lr_scheduler.
      r.require(scheduler == LrSchedulerType.CONSTANT || scheduler == LrSchedulerType.ADAFACTOR, "lr_scheduler",
          "optimizer_type Adafactor with relative_step replaces lr_scheduler " + scheduler.optionName()
              + " by its own schedule; use lr_scheduler adafactor (or constant), or optimizer_args relative_step=False");
    } else if (clean) {
      r.require(scheduler != LrSchedulerType.ADAFACTOR, "lr_scheduler", "lr_scheduler adafactor is Adafactor's own"
          + " schedule and needs optimizer_type Adafactor with relative_step (its default); got optimizer_type "
          + optimizer.optimizerType().optionName() + (optimizer.optimizerType() == OptimizerType.ADAFACTOR
          ? " with relative_step=False" : ""));
    }
    if (optimizer.scheduleFree()) {
      // The reference silently replaces the schedule by a constant one (§4.2). A warmup with constant is refused as
      // for every optimizer.
      r.require(scheduler == LrSchedulerType.CONSTANT, "lr_scheduler", "optimizer_type "
          + optimizer.optimizerType().optionName() + " keeps learning_rate constant (the reference replaces lr_scheduler "
          + scheduler.optionName() + " by a constant one); remove lr_scheduler and warm up with optimizer_args"
          + " warmup_steps=N");
    }
    if (scheduler == LrSchedulerType.REX && training.maxTrainEpochs().isEmpty()) {
      long warmup = lrScheduler.lrWarmupSteps().resolve(training.maxTrainSteps());
      r.require(warmup <= training.maxTrainSteps(), "lr_warmup_steps", "lr_scheduler rex needs lr_warmup_steps ("
          + warmup + ") at most max_train_steps (" + training.maxTrainSteps() + ")");
    }
  }
}
