package org.tsumugi.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tsumugi.config.ModelConfig;
import org.tsumugi.config.WanTask;

class MemoryOptionsTest {

  @Test
  void takesTheRunsMemoryOptions() {
    MemoryOptions o = MemoryOptions.of(model(true, true, 20, true));
    assertEquals(new MemoryOptions(true, 20, true), o);
    assertTrue(((TrainingExecutor) o.executor(BlockFetcher.INLINE)).gradientCheckpointing());
  }

  @Test
  void refusesPlainFp8BaseNamingTheOptionToAdd() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MemoryOptions.of(model(true, false, 0, false)));
    assertTrue(e.getMessage().contains("fp8_scaled = true"), e.getMessage());
  }

  private static ModelConfig model(boolean fp8Base, boolean fp8Scaled, int swap, boolean gc) {
    return new ModelConfig(Path.of("dit.safetensors"), WanTask.T2V_1_3B, fp8Base, fp8Scaled, swap, gc,
        Optional.empty(), List.of(), List.of());
  }
}
