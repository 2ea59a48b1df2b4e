package org.tsumugi.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Constant factors inside the graph must survive a garbage collection between forward and backward (DJL's
 * {@code mul(Number)} leaves autograd a tensor over a buffer the JVM may free).
 */
class ScalarFactorTest {

  @Test
  void attentionGradientSurvivesAGarbageCollectionBeforeBackward() {
    assertSameGradientWithCollection(x -> Attention.attend(x, x, x));
  }

  @Test
  void geluGradientSurvivesAGarbageCollectionBeforeBackward() {
    assertSameGradientWithCollection(Activations::geluTanh);
  }

  @Test
  void factorsGiveTheSameValuesAsDjlScalars() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(values(64), new Shape(64));
      assertArrayEquals(x.mul(0.044715f).toFloatArray(), ScalarFactor.mul(x, 0.044715f).toFloatArray());
      assertArrayEquals(x.div(3f).toFloatArray(), ScalarFactor.div(x, 3f).toFloatArray());
    }
  }

  private static void assertSameGradientWithCollection(UnaryOperator<NDArray> f) {
    float[] quiet = gradient(f, false);
    for (int round = 0; round < 3; round++) {
      assertArrayEquals(quiet, gradient(f, true), "gradient after a collection, round " + round);
    }
  }

  private static float[] gradient(UnaryOperator<NDArray> f, boolean collect) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray p = m.create(values(2 * 16 * 4 * 16), new Shape(2, 16, 4, 16));
      p.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray loss = f.apply(p.mul(p)).square().sum();
        if (collect) {
          System.gc();
          System.gc();
        }
        gc.backward(loss);
      }
      return p.getGradient().toFloatArray();
    }
  }

  private static float[] values(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) Math.sin(i * 0.37);
    }
    return v;
  }
}
