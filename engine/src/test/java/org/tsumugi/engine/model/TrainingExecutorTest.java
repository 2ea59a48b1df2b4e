package org.tsumugi.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tsumugi.engine.Golden;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.model.wan.WanModel;

/**
 * Gradient checkpointing and block swap change where weights and activations live, never the numbers: on a generated
 * six-block model, LoRA gradients with recompute match the plain graph to the golden tolerance, and swapping any
 * allowed number of blocks gives bit-identical predictions and gradients.
 */
class TrainingExecutorTest {

  static final GeneratedWan WAN = new GeneratedWan();
  static NDManager manager;
  static WanModel resident;
  static LoraNetwork lora;
  static GeneratedWan.Step plain;

  @BeforeAll
  static void plainStep() {
    manager = NDManager.newBaseManager();
    resident = WAN.model(manager, MemoryOptions.NONE);
    lora = GeneratedWan.lora(resident, manager);
    plain = GeneratedWan.step(resident, lora, BlockExecutor.PLAIN, manager);
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void recomputedBlocksGiveThePlainGraphsGradients() {
    GeneratedWan.Step checkpointed = GeneratedWan.step(resident, lora,
        new TrainingExecutor(true, BlockFetcher.INLINE), manager);
    assertSameStep(plain, checkpointed);
    for (int i = 0; i < plain.gradients().size(); i++) { // the bound for gradient checkpointing
      assertRelativelyClose(plain.gradients().get(i), checkpointed.gradients().get(i), 1e-5, "LoRA gradient " + i);
    }
  }

  @Test
  void countsAndTimesEachBlocksForwardOncePerPass() {
    for (boolean recompute : List.of(false, true)) {
      TrainingExecutor executor = new TrainingExecutor(recompute, BlockFetcher.INLINE);
      GeneratedWan.step(resident, lora, executor, manager);
      GeneratedWan.step(resident, lora, executor, manager);
      // forward visits only: the backward's recomputes are part of the (longer) backward visits
      assertEquals(2L * GeneratedWan.CONFIG.numLayers(), executor.forwardBlocks(), "recompute " + recompute);
      assertTrue(executor.forwardBlockSeconds() > 0, "recompute " + recompute);
    }
  }

  @Test
  void blockwiseBackwardWithoutRecomputeGivesThePlainGraphsGradients() {
    assertSameStep(plain, GeneratedWan.step(resident, lora, new TrainingExecutor(false, BlockFetcher.INLINE),
        manager));
  }

  @Test
  void swappingAnyAllowedNumberOfBlocksChangesNoBit() {
    for (boolean recompute : List.of(false, true)) {
      GeneratedWan.Step unswapped = GeneratedWan.step(resident, lora, new TrainingExecutor(recompute,
          BlockFetcher.INLINE), manager);
      for (int swap : List.of(1, 3, 5)) {
        try (NDManager m = manager.newSubManager(); BackgroundFetcher fetcher = new BackgroundFetcher()) {
          WanModel swapped = WAN.model(m, new MemoryOptions(false, swap, recompute));
          assertEquals(swap, swapped.weights().residency().streamedBlocks().size());
          for (int step = 0; step < 2; step++) { // the second step starts with the first slots still filled
            GeneratedWan.Step s = GeneratedWan.step(swapped, lora, new TrainingExecutor(recompute, fetcher), m);
            assertArrayEquals(unswapped.prediction(), s.prediction(), "prediction, swap " + swap);
            for (int i = 0; i < s.gradients().size(); i++) {
              assertArrayEquals(unswapped.gradients().get(i), s.gradients().get(i),
                  "gradient " + i + ", swap " + swap + ", recompute " + recompute);
            }
          }
        }
      }
    }
  }

  @Test
  void streamedWeightsKeptByTheGraphSurviveACollectionBeforeBackward() {
    try (NDManager m = manager.newSubManager()) {
      WanModel swapped = WAN.model(m, new MemoryOptions(true, 4, false));
      WanModel fp8 = WAN.model(m, new MemoryOptions(true, 0, false));
      GeneratedWan.Step expected = GeneratedWan.step(fp8, lora, new TrainingExecutor(false, BlockFetcher.INLINE), m);
      GeneratedWan.Step collected = GeneratedWan.step(swapped, lora, new TrainingExecutor(false, BlockFetcher.INLINE),
          m, true);
      for (int i = 0; i < expected.gradients().size(); i++) {
        assertArrayEquals(expected.gradients().get(i), collected.gradients().get(i), "gradient " + i);
      }
    }
  }

  @Test
  void swapCheckpointingAndFp8TogetherGiveTheLoraGradientsOfFp8Alone() {
    try (NDManager m = manager.newSubManager(); BackgroundFetcher fetcher = new BackgroundFetcher()) {
      GeneratedWan.Step fp8 = GeneratedWan.step(WAN.model(m, new MemoryOptions(true, 0, false)), lora,
          new TrainingExecutor(false, BlockFetcher.INLINE), m);
      GeneratedWan.Step all = GeneratedWan.step(WAN.model(m, new MemoryOptions(true, 3, true)), lora,
          new TrainingExecutor(true, fetcher), m);
      assertArrayEquals(fp8.prediction(), all.prediction(), "prediction");
      for (int i = 0; i < fp8.gradients().size(); i++) {
        assertArrayEquals(fp8.gradients().get(i), all.gradients().get(i), "gradient " + i);
      }
      assertTrue(Math.abs(fp8.loss() - plain.loss()) > 0, "fp8 must change the numbers, or this test shows nothing");
    }
  }

  @Test
  void refusesToSwapEveryBlock() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WAN.model(manager, new MemoryOptions(false, 6, false)));
    assertTrue(e.getMessage().contains("from 0 to 5"), e.getMessage());
  }

  @Test
  void plainExecutorRefusesToRecordAGraphThroughStreamedBlocks() {
    try (NDManager m = manager.newSubManager()) {
      WanModel swapped = WAN.model(m, new MemoryOptions(false, 2, false));
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> GeneratedWan.step(swapped, lora, BlockExecutor.PLAIN, m));
      assertTrue(e.getMessage().contains("TrainingExecutor"), e.getMessage());
    }
  }

  /** max |a − b| ≤ bound · max |expected|. */
  static void assertRelativelyClose(float[] expected, float[] actual, double bound, String what) {
    double maxRef = 0;
    double maxDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      maxRef = Math.max(maxRef, Math.abs(expected[i]));
      maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(maxRef > 0, what + " is zero: the comparison would show nothing");
    assertTrue(maxDiff <= bound * maxRef, what + ": max |diff| " + maxDiff + " exceeds " + bound + " × " + maxRef);
  }

  static void assertSameStep(GeneratedWan.Step expected, GeneratedWan.Step actual) {
    Golden.assertClose(expected.prediction(), actual.prediction(), "prediction");
    Golden.assertClose(new float[] {expected.loss()}, new float[] {actual.loss()}, "loss");
    for (int i = 0; i < expected.gradients().size(); i++) {
      Golden.assertClose(expected.gradients().get(i), actual.gradients().get(i), "LoRA gradient " + i);
    }
  }
}
