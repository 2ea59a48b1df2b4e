package org.tsumugi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference's int_or_float (training.md §4.4), worked out by hand from its rule. */
class StepCountTest {
  private static final KeyLocation AT = new KeyLocation("lr_warmup_steps", "command line");

  @TempDir
  Path dir;

  @Test
  void readsPercentagesRatiosAndSteps() {
    assertEquals(new StepCount.Ratio(0.1), StepCount.parse("10%", AT));
    assertEquals(new StepCount.Ratio(0.05), StepCount.parse("0.05", AT));
    assertEquals(new StepCount.Steps(100), StepCount.parse("100", AT));
    assertEquals(new StepCount.Steps(1), StepCount.parse("1.0", AT));
    assertEquals(new StepCount.Steps(100), StepCount.parse("1e2", AT));
    assertEquals(new StepCount.Ratio(1.0), StepCount.parse("100%", AT));
    assertEquals(StepCount.zero(), StepCount.parse("0", AT));
    assertEquals(160, StepCount.parse("10%", AT).resolve(1600));
    assertEquals(3, StepCount.parse("0.3", AT).resolve(10));
  }

  @Test
  void refusesNegativesRatiosAboveOneAndText() {
    for (String bad : new String[] {"1.5", "150%", "-1", "abc", "nan", "inf", "%", "1e400"}) {
      assertThrows(ConfigError.class, () -> StepCount.parse(bad, AT), bad);
    }
  }

  @Test
  void readsHoconNumbersAndStringsTheSameWay() {
    TsumugiConfig config = ConfigLoader.load(RunFiles.withRequired(dir, "lr_scheduler = linear",
        "lr_warmup_steps = 0.1", "lr_decay_steps = \"5%\""));
    assertEquals(new StepCount.Ratio(0.1), config.lrScheduler().lrWarmupSteps());
    assertEquals(new StepCount.Ratio(0.05), config.lrScheduler().lrDecaySteps());
  }
}
