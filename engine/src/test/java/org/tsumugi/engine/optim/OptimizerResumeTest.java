package org.tsumugi.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.BaseNDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tsumugi.config.OptimizerConfig;
import org.tsumugi.config.OptimizerType;

/** Every optimizer resumes bit-exactly from a snapshot and keeps native memory flat over many steps. */
class OptimizerResumeTest {
  // 72·64 = 4608 elements: AdamW8bit keeps 8-bit codes for the first tensor and float32 moments for the second.
  private static final long[][] SHAPES = {{72, 64}, {5}};
  private static final int BEFORE = 4;
  private static final int AFTER = 3;

  @ParameterizedTest
  @EnumSource(OptimizerType.class)
  void resumedOptimizerContinuesBitIdentically(OptimizerType type) {
    OptimizerConfig config = config(type);
    List<float[][]> grads = gradients(BEFORE + AFTER);
    float[][] savedParams;
    OptimizerState saved;
    float[][] uninterrupted;
    OptimizerState finalState;
    try (Trainables t = Trainables.random(21, 1.0, SHAPES)) {
      Optimizer optimizer = OptimizerFactory.create(config, t.groups(), t.manager);
      optimizer.trainMode();
      run(optimizer, t, grads.subList(0, BEFORE));
      // The reference's save: eval() (schedule-free saves its averaged weights), save, train().
      optimizer.evalMode();
      saved = optimizer.snapshot();
      savedParams = t.values();
      optimizer.trainMode();
      run(optimizer, t, grads.subList(BEFORE, BEFORE + AFTER));
      uninterrupted = t.values();
      finalState = optimizer.snapshot();
    }
    try (Trainables t = Trainables.of(savedParams, SHAPES)) {
      Optimizer resumed = OptimizerFactory.create(config, t.groups(), t.manager);
      resumed.restore(saved);
      resumed.trainMode();
      run(resumed, t, grads.subList(BEFORE, BEFORE + AFTER));
      Close.assertIdentical(uninterrupted, t.values(), type + " parameters after resume");
      assertSameState(finalState, resumed.snapshot());
    }
  }

  @ParameterizedTest
  @EnumSource(OptimizerType.class)
  void nativeArraysStayFlatOverManySteps(OptimizerType type) {
    List<float[][]> grads = gradients(3);
    try (Trainables t = Trainables.random(22, 1.0, SHAPES)) {
      Optimizer optimizer = OptimizerFactory.create(config(type), t.groups(), t.manager);
      optimizer.trainMode();
      run(optimizer, t, grads);
      int afterWarmup = ((BaseNDManager) t.manager).getManagedArrays().size();
      for (int i = 0; i < 50; i++) {
        run(optimizer, t, grads);
        optimizer.evalMode();
        optimizer.trainMode();
      }
      assertEquals(afterWarmup, ((BaseNDManager) t.manager).getManagedArrays().size(),
          type + ": arrays attached to the manager");
    }
  }

  private static OptimizerConfig config(OptimizerType type) {
    Map<String, String> args = switch (type) {
      case ADAMW, ADAMW8BIT, LION -> Map.of("weight_decay", "0.1", "betas", "(0.8,0.95)");
      case ADAFACTOR -> Map.of("beta1", "0.9", "weight_decay", "0.01");
      case PRODIGY -> Map.of("d0", "1e-3", "weight_decay", "0.01", "use_bias_correction", "True");
      case SGD -> Map.of("momentum", "0.9", "nesterov", "True", "weight_decay", "0.01");
      case ADAMW_SCHEDULE_FREE -> Map.of("warmup_steps", "2", "weight_decay", "0.01");
    };
    return new OptimizerConfig(type, type == OptimizerType.PRODIGY ? 1.0 : 0.01, args, 1.0);
  }

  private static List<float[][]> gradients(int steps) {
    Random random = new Random(23);
    List<float[][]> grads = new ArrayList<>();
    for (int s = 0; s < steps; s++) {
      float[][] g = new float[SHAPES.length][];
      for (int i = 0; i < SHAPES.length; i++) {
        long n = 1;
        for (long d : SHAPES[i]) {
          n *= d;
        }
        g[i] = Trainables.gaussian(random, n, 0.5);
      }
      grads.add(g);
    }
    return grads;
  }

  private static void run(Optimizer optimizer, Trainables t, List<float[][]> grads) {
    for (int s = 0; s < grads.size(); s++) {
      t.setGradients(grads.get(s));
      optimizer.step(t.groups(), new double[] {0.01 * (1 + s % 3)});
    }
  }

  private static void assertSameState(OptimizerState expected, OptimizerState actual) {
    assertEquals(expected.steps(), actual.steps());
    assertEquals(expected.scalars(), actual.scalars());
    assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
    expected.tensors().forEach((key, e) -> {
      StateTensor a = actual.tensors().get(key);
      assertArrayEquals(e.shape(), a.shape(), key);
      if (e instanceof StateTensor.Bytes b) {
        assertArrayEquals(b.values(), ((StateTensor.Bytes) a).values(), key);
      } else {
        Close.assertIdentical(new float[][] {((StateTensor.Floats) e).values()},
            new float[][] {((StateTensor.Floats) a).values()}, key);
      }
    });
  }
}
