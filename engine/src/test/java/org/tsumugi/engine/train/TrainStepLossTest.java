package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tsumugi.config.HuberSchedule;
import org.tsumugi.config.LossConfig;
import org.tsumugi.config.LossType;
import org.tsumugi.config.LrSchedulerType;
import org.tsumugi.config.OptimizerConfig;
import org.tsumugi.config.OptimizerType;
import org.tsumugi.config.TimestepConfig;
import org.tsumugi.config.TimestepSampling;
import org.tsumugi.config.WeightingScheme;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.model.wan.WanModel;

/**
 * {@code loss_type} through a training step: l2 is exactly the reference's weighted MSE as the step computed it before
 * loss types existed; l1, huber and smooth_l1 are exactly {@link LossFunction}'s value (reference/training.md §1.3,
 * §3). The prediction is recomputed outside the step from the step's own draws.
 */
class TrainStepLossTest {
  private static final OptimizerConfig ADAMW = new OptimizerConfig(OptimizerType.ADAMW, 1e-3, Map.of(), 1.0);

  static NDManager manager;
  static WanModel model;

  @BeforeAll
  static void build() {
    manager = NDManager.newBaseManager();
    model = TinyTraining.model(manager);
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /** Uniform sampling with cosmap loss weights, so that the weights differ per sample and are not 1. */
  private static TimestepConfig timesteps(LossConfig loss) {
    return TimestepConfigBuilder.of(TimestepSampling.UNIFORM).weighting(WeightingScheme.COSMAP).build()
        .withLoss(loss);
  }

  private static TrainStep step(NDManager m, LossConfig loss) {
    LoraNetwork lora = TinyTraining.lora(model, m, i -> 0.05);
    return TinyTraining.step(model, lora, ADAMW, TinyTraining.schedule(LrSchedulerType.CONSTANT), timesteps(loss), 1,
        m);
  }

  private static float[] weights(TinyTraining.Recomputed r) {
    double[] w = new LossWeighting(WeightingScheme.COSMAP, SigmaDtype.FLOAT32).weights(r.modelTimesteps()).values();
    float[] out = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      out[i] = (float) w[i];
    }
    return out;
  }

  @Test
  void l2IsExactlyTheWeightedMseTheStepComputedBefore() {
    try (NDManager m = manager.newSubManager()) {
      TrainStep step = step(m, LossConfig.defaults());
      TrainBatch batch = TinyTraining.batch(m, 1);
      float loss = step.accumulate(batch, 3).loss();
      TinyTraining.Recomputed r = TinyTraining.recompute(step, batch, 3);
      float[] w = weights(r);
      assertEquals(FlowMatching.loss(r.pred(), r.target(), w).getFloat(), loss, 0f, "bit-identical weighted MSE");
      assertEquals(meanWeighted(r, w, LossType.L2, null), loss, 1e-6 * loss, "mean of w·(pred − v)² in double");
    }
  }

  @Test
  void otherLossTypesAreTheLossFunctionsValue() {
    LossConfig[] losses = {
        new LossConfig(LossType.L1, HuberSchedule.SNR, 0.1, 1.0),
        new LossConfig(LossType.HUBER, HuberSchedule.SNR, 0.1, 1.0),
        new LossConfig(LossType.HUBER, HuberSchedule.EXPONENTIAL, 0.2, 1.5),
        new LossConfig(LossType.SMOOTH_L1, HuberSchedule.CONSTANT, 0.3, 2.0)};
    try (NDManager m = manager.newSubManager()) {
      TrainBatch batch = TinyTraining.batch(m, 2);
      float l2 = step(m, LossConfig.defaults()).accumulate(batch, 5).loss();
      for (LossConfig config : losses) {
        TrainStep step = step(m, config);
        float loss = step.accumulate(batch, 5).loss();
        TinyTraining.Recomputed r = TinyTraining.recompute(step, batch, 5);
        float[] w = weights(r);
        String what = config.lossType() + "/" + config.huberSchedule();
        assertEquals(LossFunction.of(config).loss(r.pred(), r.target(), w, r.sigmas()).getFloat(), loss, 0f, what);
        assertEquals(meanWeighted(r, w, config.lossType(), config), loss, 1e-5 * loss, what + " in double");
        assertNotEquals(l2, loss, what + " is not the l2 loss");
      }
    }
  }

  /** mean over every element of w·ℓ(pred − v), from the float values, in double (sd-scripts' formulas, §3). */
  private static double meanWeighted(TinyTraining.Recomputed r, float[] w, LossType type, LossConfig config) {
    float[] pred = r.pred().toFloatArray();
    float[] target = r.target().toFloatArray();
    int perSample = pred.length / w.length;
    double sum = 0;
    for (int i = 0; i < pred.length; i++) {
      int b = i / perSample;
      double d = (double) pred[i] - target[i];
      double c = type == LossType.HUBER || type == LossType.SMOOTH_L1 ? threshold(config, r.sigmas()[b]) : 0;
      double value = switch (type) {
        case L2 -> d * d;
        case L1 -> Math.abs(d);
        case HUBER -> 2 * c * (Math.sqrt(d * d + c * c) - c);
        case SMOOTH_L1 -> 2 * (Math.sqrt(d * d + c * c) - c);
      };
      sum += w[b] * value;
    }
    return sum / pred.length;
  }

  /** sd-scripts' thresholds with T = 1000σ; snr with the rectified-flow noise-to-signal ratio σ/(1 − σ). */
  private static double threshold(LossConfig c, double sigma) {
    return switch (c.huberSchedule()) {
      case CONSTANT -> c.huberC() * c.huberScale();
      case EXPONENTIAL -> Math.exp(Math.log(c.huberC()) / 1000 * (1000 * sigma)) * c.huberScale();
      case SNR -> (1 - c.huberC()) / Math.pow(1 + sigma / (1 - sigma), 2) + c.huberC();
    };
  }
}
