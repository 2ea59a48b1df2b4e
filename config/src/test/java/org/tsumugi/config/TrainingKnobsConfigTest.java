package org.tsumugi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loss options (sd-scripts' loss_type and Huber settings), scale_weight_norms, and the schedules that Adafactor's
 * relative_step and schedule-free optimizers put in place of lr_scheduler (reference/training.md §3, §4.2, §4.5).
 */
class TrainingKnobsConfigTest {
  @TempDir
  Path dir;

  private TsumugiConfig load(String... extraLines) {
    return ConfigLoader.load(RunFiles.withRequired(dir, extraLines));
  }

  private ConfigProblem onlyProblem(String... extraLines) {
    ConfigError error = assertThrows(ConfigError.class, () -> load(extraLines));
    assertEquals(1, error.problems().size(), error.getMessage());
    return error.problems().get(0);
  }

  private static void assertProblem(ConfigProblem problem, String where, String key, String... fragments) {
    assertTrue(problem.where().endsWith(where), problem.toString());
    assertEquals(key, problem.key(), problem.toString());
    for (String fragment : fragments) {
      assertTrue(problem.message().contains(fragment), "[" + fragment + "] not in " + problem);
    }
  }

  @Test
  void lossDefaultsAreSdScriptsWithTheReferencesL2() {
    // sd-scripts train_util: --loss_type l2, --huber_schedule snr, --huber_c 0.1, --huber_scale 1.0.
    LossConfig loss = load().timesteps().loss();
    assertEquals(new LossConfig(LossType.L2, HuberSchedule.SNR, 0.1, 1.0), loss);
    assertEquals(LossConfig.defaults(), loss);
  }

  @Test
  void readsLossTypeAndHuberSettingsFromFileAndCommandLine() {
    Path file = RunFiles.withRequired(dir, "loss_type = huber", "huber_schedule = exponential", "huber_c = 0.25",
        "huber_scale = 2");
    assertEquals(new LossConfig(LossType.HUBER, HuberSchedule.EXPONENTIAL, 0.25, 2.0),
        ConfigLoader.load(file).timesteps().loss());
    LossConfig overridden = ConfigLoader.load(file, "--loss_type", "smooth_l1", "--huber_schedule", "constant")
        .timesteps().loss();
    assertEquals(new LossConfig(LossType.SMOOTH_L1, HuberSchedule.CONSTANT, 0.25, 2.0), overridden);
    assertEquals(LossType.L1, load("loss_type = l1").timesteps().loss().lossType());
  }

  @Test
  void refusesUnknownLossNamesWithTheValidOnes() {
    ConfigProblem type = onlyProblem("# comment", "loss_type = mse");
    assertProblem(type, "run.conf:6", "loss_type", "unknown loss_type [mse]. Select one of [l1, l2, huber, smooth_l1]");
    assertProblem(onlyProblem("loss_type = huber", "huber_schedule = linear"), "run.conf:6", "huber_schedule",
        "unknown huber_schedule [linear]. Select one of [constant, exponential, snr]");
    assertProblem(onlyProblem("loss_type = Huber"), "run.conf:5", "loss_type", "unknown loss_type [Huber]",
        "Did you mean huber?");
  }

  @Test
  void refusesHuberSettingsThatHaveNoEffect() {
    assertProblem(onlyProblem("huber_c = 0.2"), "run.conf:5", "huber_c",
        "huber_c only applies to loss_type huber and smooth_l1, but loss_type is l2");
    assertProblem(onlyProblem("loss_type = l1", "huber_schedule = constant"), "run.conf:6", "huber_schedule",
        "only applies to loss_type huber and smooth_l1, but loss_type is l1");
    assertProblem(onlyProblem("loss_type = smooth_l1", "huber_scale = 3"), "run.conf:6", "huber_scale",
        "huber_scale has no effect with huber_schedule snr");
    ConfigError fromCommandLine = assertThrows(ConfigError.class,
        () -> ConfigLoader.load(RunFiles.withRequired(dir), "--huber_scale", "2"));
    assertEquals("command line", fromCommandLine.problems().get(0).where());
    assertEquals("huber_scale", fromCommandLine.problems().get(0).key());
  }

  @Test
  void refusesHuberValuesOutOfRange() {
    assertProblem(onlyProblem("loss_type = huber", "huber_c = 0"), "run.conf:6", "huber_c",
        "huber_c must be in (0, 1], got 0.0");
    assertProblem(onlyProblem("loss_type = huber", "huber_c = 1.5"), "run.conf:6", "huber_c", "in (0, 1]");
    assertProblem(onlyProblem("loss_type = huber", "huber_schedule = constant", "huber_scale = 0"), "run.conf:7",
        "huber_scale", "greater than 0.0");
  }

  @Test
  void scaleWeightNormsIsSupportedWithTheReferencesDefault() {
    assertEquals(OptionalDouble.empty(), load().optimizer().scaleWeightNorms());
    assertEquals(OptionalDouble.of(1.0), load("scale_weight_norms = 1").optimizer().scaleWeightNorms());
    // The reference tests `if args.scale_weight_norms:`, so 0 is off.
    assertEquals(OptionalDouble.empty(), load("scale_weight_norms = 0").optimizer().scaleWeightNorms());
    assertFalse(UnsupportedOptions.reasons().containsKey("scale_weight_norms"));
    assertProblem(onlyProblem("scale_weight_norms = -1"), "run.conf:5", "scale_weight_norms", "at least 0.0");
  }

  @Test
  void adafactorWithRelativeStepTakesOnlyItsOwnSchedule() {
    TsumugiConfig own = load("optimizer_type = adafactor", "lr_scheduler = adafactor");
    assertTrue(own.optimizer().adafactorRelativeStep());
    assertEquals(LrSchedulerType.ADAFACTOR, own.lrScheduler().lrScheduler());
    assertProblem(onlyProblem("optimizer_type = Adafactor", "lr_scheduler = cosine"), "run.conf:6", "lr_scheduler",
        "replaces lr_scheduler cosine by its own schedule", "relative_step=False");
    // relative_step=False: Adafactor follows learning_rate and lr_scheduler, and the adafactor schedule is refused.
    load("optimizer_type = Adafactor", "optimizer_args = [\"relative_step=False\"]", "lr_scheduler = cosine");
    assertProblem(onlyProblem("optimizer_type = Adafactor", "optimizer_args = [\"relative_step=False\"]",
        "lr_scheduler = adafactor"), "run.conf:7", "lr_scheduler", "with relative_step=False");
    assertProblem(onlyProblem("lr_scheduler = adafactor"), "run.conf:5", "lr_scheduler",
        "needs optimizer_type Adafactor with relative_step", "got optimizer_type AdamW");
  }

  @Test
  void learningRateMustBePositiveEvenForAdafactor() {
    assertProblem(onlyProblem("optimizer_type = Adafactor", "learning_rate = 0"), "run.conf:6", "learning_rate",
        "greater than 0.0");
  }

  @Test
  void scheduleFreeOptimizersRefuseAnotherSchedule() {
    assertTrue(load("optimizer_type = AdamWScheduleFree").optimizer().scheduleFree());
    assertProblem(onlyProblem("optimizer_type = schedulefree.AdamWScheduleFree", "lr_scheduler = linear"),
        "run.conf:6", "lr_scheduler", "keeps learning_rate constant", "warmup_steps=N");
  }

  @Test
  void cosineTakesItsWaveCountAsASchedulerArgument() {
    assertEquals("0.75", load("lr_scheduler = cosine", "lr_scheduler_args = [\"num_cycles=0.75\"]").lrScheduler()
        .schedulerArgs().get("num_cycles"));
  }
}
