package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tsumugi.config.HuberSchedule;
import org.tsumugi.config.LossConfig;
import org.tsumugi.config.LossType;

class LossFunctionTest {
  private static final Shape SHAPE = new Shape(3, 2, 2, 3, 4);
  private static final int PER_SAMPLE = 2 * 2 * 3 * 4;
  private static final float[] WEIGHTS = {0.5f, 2f, 1.25f};
  private static final float[] SIGMAS = {0.1f, 0.55f, 0.97f};

  @Test
  void everyLossTypeAndScheduleMatchesElementWiseFormulas() {
    for (LossType type : LossType.values()) {
      for (HuberSchedule schedule : HuberSchedule.values()) {
        check(new LossFunction(type, schedule, 0.1, 1.5));
      }
    }
  }

  @Test
  void huberThresholdsFollowSdScriptsWithTimestepThousandSigma() {
    // exponential: exp(−α·T)·scale with α = −ln(c)/1000 and T = 1000σ.
    LossFunction exponential = new LossFunction(LossType.HUBER, HuberSchedule.EXPONENTIAL, 0.1, 2.0);
    float[] c = exponential.thresholds(new float[] {0f, 0.5f, 1f});
    double alpha = -Math.log(0.1) / 1000;
    assertArrayEquals(new float[] {2f, (float) (Math.exp(-alpha * 500) * 2), 0.2f}, c, 1e-6f);
    LossFunction constant = new LossFunction(LossType.SMOOTH_L1, HuberSchedule.CONSTANT, 0.2, 3.0);
    assertArrayEquals(new float[] {0.6f, 0.6f}, constant.thresholds(new float[] {0.1f, 0.9f}), 1e-7f);
    // snr: (1 − c)/(1 + σ/(1 − σ))² + c, the DDPM formula with the rectified-flow noise-to-signal ratio.
    LossFunction snr = new LossFunction(LossType.HUBER, HuberSchedule.SNR, 0.1, 5.0);
    double ratio = 0.3 / 0.7;
    assertEquals((float) (0.9 / ((1 + ratio) * (1 + ratio)) + 0.1), snr.thresholds(new float[] {0.3f})[0], 1e-6f);
    assertEquals(1f, snr.thresholds(new float[] {0f})[0], 1e-7f);
    assertEquals(0.1f, snr.thresholds(new float[] {1f})[0], 1e-7f);
  }

  @Test
  void refusesHuberThresholdOutsideZeroToOne() {
    assertThrows(TrainingOptionException.class,
        () -> new LossFunction(LossType.HUBER, HuberSchedule.CONSTANT, 0, 1));
    assertThrows(TrainingOptionException.class,
        () -> LossFunction.of(new LossConfig(LossType.SMOOTH_L1, HuberSchedule.SNR, 1.5, 1)));
  }

  private static void check(LossFunction loss) {
    Random random = new Random(41);
    float[] pred = gaussian(random);
    float[] target = gaussian(random);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray p = manager.create(pred, SHAPE);
      NDArray t = manager.create(target, SHAPE);
      p.setRequiresGradient(true);
      float value;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray l = loss.loss(p, t, WEIGHTS, SIGMAS);
        value = l.getFloat();
        collector.backward(l);
      }
      double[] expectedGrad = new double[pred.length];
      double expected = reference(loss, pred, target, expectedGrad);
      String what = loss.type() + "/" + loss.schedule();
      assertEquals(expected, value, 1e-6 * Math.abs(expected), what + " loss");
      float[] grad = p.getGradient().toFloatArray();
      for (int i = 0; i < grad.length; i++) {
        assertEquals(expectedGrad[i], grad[i], 1e-6 * Math.abs(expectedGrad[i]) + 1e-9, what + " grad " + i);
      }
    }
  }

  /** The loss and its gradient per element, in double. */
  private static double reference(LossFunction loss, float[] pred, float[] target, double[] grad) {
    double sum = 0;
    int n = pred.length;
    for (int i = 0; i < n; i++) {
      int b = i / PER_SAMPLE;
      double c = threshold(loss, SIGMAS[b]);
      double d = (double) pred[i] - target[i];
      double root = Math.sqrt(d * d + c * c);
      double value;
      double slope;
      switch (loss.type()) {
        case L2 -> {
          value = d * d;
          slope = 2 * d;
        }
        case L1 -> {
          value = Math.abs(d);
          slope = Math.signum(d);
        }
        case HUBER -> {
          value = 2 * c * (root - c);
          slope = 2 * c * d / root;
        }
        default -> {
          value = 2 * (root - c);
          slope = 2 * d / root;
        }
      }
      sum += WEIGHTS[b] * value;
      grad[i] = WEIGHTS[b] * slope / n;
    }
    return sum / n;
  }

  private static double threshold(LossFunction loss, double sigma) {
    return switch (loss.schedule()) {
      case CONSTANT -> loss.huberC() * loss.huberScale();
      case EXPONENTIAL -> Math.pow(loss.huberC(), sigma) * loss.huberScale();
      case SNR -> (1 - loss.huberC()) / Math.pow(1 + sigma / (1 - sigma), 2) + loss.huberC();
    };
  }

  private static float[] gaussian(Random random) {
    float[] out = new float[(int) SHAPE.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) random.nextGaussian();
    }
    return out;
  }
}
