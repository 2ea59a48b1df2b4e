package org.tsumugi.engine.ema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.engine.io.SafetensorsHashes;

/** Folding checkpoints one at a time gives the offline merge's bytes. */
class EmaAccumulatorTest {
  @TempDir Path dir;

  @Test
  void incrementalFoldingEqualsTheOfflineMergeByteForByte() throws IOException {
    List<Path> inputs = GoldenEma.copyInputs(dir);
    for (GoldenEma.Case c : GoldenEma.cases()) {
      Path offline = dir.resolve("offline_" + c.name() + ".safetensors");
      PostHocEmaMerge.Result merged = PostHocEmaMerge.merge(inputs, c.settings(), offline);
      List<Path> order = merged.order();
      EmaSchedule schedule = c.settings().schedule(order.size());

      EmaState state = EmaAccumulator.start(order.get(0), schedule, dir.resolve(c.name() + "_acc1.safetensors"));
      for (int i = 1; i < order.size(); i++) {
        state = EmaAccumulator.fold(state, order.get(i), schedule,
            dir.resolve(c.name() + "_acc" + (i + 1) + ".safetensors"));
      }
      assertEquals(order.size(), state.folded());
      Path live = dir.resolve("live_" + c.name() + ".safetensors");
      SafetensorsHashes hashes = EmaAccumulator.finish(state, schedule, order.get(order.size() - 1), live);

      assertEquals(merged.hashes(), hashes, c.name());
      assertArrayEquals(Files.readAllBytes(offline), Files.readAllBytes(live), c.name());
    }
  }

  @Test
  void refusesAStateThatDisagreesWithItsAccumulator() throws IOException {
    List<Path> inputs = GoldenEma.copyInputs(dir);
    EmaSchedule schedule = EmaSchedule.constant(0.9);
    EmaState one = EmaAccumulator.start(inputs.get(0), schedule, dir.resolve("acc1.safetensors"));
    EmaState two = EmaAccumulator.fold(one, inputs.get(1), schedule, dir.resolve("acc2.safetensors"));

    var replay = assertThrows(EmaMergeException.class, () -> EmaAccumulator.fold(
        new EmaState(two.accumulatorFile(), 1), inputs.get(2), schedule, dir.resolve("acc3.safetensors")));
    assertTrue(replay.getMessage().contains("has folded 2 checkpoints, the state says 1"), replay::getMessage);

    var otherSchedule = assertThrows(EmaMergeException.class, () -> EmaAccumulator.fold(
        two, inputs.get(2), EmaSchedule.constant(0.95), dir.resolve("acc3.safetensors")));
    assertTrue(otherSchedule.getMessage().contains("was built with"), otherSchedule::getMessage);

    assertThrows(EmaMergeException.class,
        () -> EmaAccumulator.fold(two, inputs.get(2), schedule, two.accumulator()), "reusing the accumulator path");

    EmaSchedule planned = EmaSchedule.interpolated(0.9, 0.95, 2);
    EmaState first = EmaAccumulator.start(inputs.get(0), planned, dir.resolve("p1.safetensors"));
    EmaState full = EmaAccumulator.fold(first, inputs.get(1), planned, dir.resolve("p2.safetensors"));
    var beyond = assertThrows(EmaMergeException.class,
        () -> EmaAccumulator.fold(full, inputs.get(2), planned, dir.resolve("p3.safetensors")));
    assertTrue(beyond.getMessage().contains("beyond the 1 merges planned"), beyond::getMessage);
    assertTrue(Files.notExists(dir.resolve("acc3.safetensors")));
  }
}
