package org.tsumugi.engine.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tsumugi.config.NetworkConfig;
import org.tsumugi.engine.lora.LoraModule;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.model.wan.WanConfig;
import org.tsumugi.engine.model.wan.WanInputs;
import org.tsumugi.engine.model.wan.WanLayout;
import org.tsumugi.engine.model.wan.WanLoraTargets;
import org.tsumugi.engine.model.wan.WanModel;
import org.tsumugi.engine.model.wan.WanWeights;
import org.tsumugi.engine.optim.Gradients;
import org.tsumugi.engine.quant.MemoryPlan;
import org.tsumugi.engine.quant.WeightSource;
import org.tsumugi.engine.tensor.RandomTensorStore;
import org.tsumugi.engine.train.FlowMatching;

/**
 * A generated multi-block Wan (the golden tiny model's sizes with more blocks), a LoRA on every block linear with
 * non-zero ups (so downs get gradients too), fixed inputs, and one forward/backward through a block executor.
 */
final class GeneratedWan {

  static final WanConfig CONFIG = new WanConfig(64, 128, 32, 48, 16, 16, 16, 4, 6, 1e-6f, false);

  /** What a step produced: prediction, loss and every LoRA gradient (down then up, module order). */
  record Step(float[] prediction, float loss, List<float[]> gradients) {}

  final RandomTensorStore store = new RandomTensorStore(WanLayout.expectedShapes(CONFIG), 7);

  /** The model with its blocks placed for {@code options}. */
  WanModel model(NDManager manager, MemoryOptions options) {
    BlockPlacement placement = MemoryPlan.place(WeightSource.of(store), CONFIG.numLayers(), WanLayout::blockPrefix,
        options, manager);
    return new WanModel(WanWeights.load(store, manager, CONFIG, placement));
  }

  static LoraNetwork lora(WanModel model, NDManager manager) {
    LoraNetwork lora = LoraNetwork.create(WanLoraTargets.of(model.weights()), NetworkConfig.defaults(), manager, 3);
    SplittableRandom random = new SplittableRandom(11);
    for (LoraModule m : lora.modules()) {
      float[] up = new float[(int) m.up().size()];
      for (int i = 0; i < up.length; i++) {
        up[i] = (float) (random.nextDouble() - 0.5) * 0.2f;
      }
      m.up().set(up);
    }
    return lora;
  }

  static WanInputs inputs(NDManager m) {
    SplittableRandom random = new SplittableRandom(5);
    return WanInputs.textToVideo(gaussian(m, random, new Shape(2, 16, 2, 8, 8)), new float[] {301f, 851f},
        List.of(gaussian(m, random, new Shape(7, 48)), gaussian(m, random, new Shape(11, 48))));
  }

  /** Forward, MSE against a fixed target, the loss's backward, then the pass's deferred backward. */
  static Step step(WanModel model, LoraNetwork lora, BlockExecutor executor, NDManager manager) {
    return step(model, lora, executor, manager, false);
  }

  /** @param collect run a garbage collection between forward and backward (what the graph needs must survive it) */
  static Step step(WanModel model, LoraNetwork lora, BlockExecutor executor, NDManager manager, boolean collect) {
    Gradients.zero(lora.parameters());
    try (NDManager m = manager.newSubManager()) {
      WanInputs in = inputs(m);
      NDArray target = gaussian(m, new SplittableRandom(9), in.latents().getShape());
      float[] prediction;
      float loss;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector();
          BlockPass pass = executor.begin()) {
        NDArray pred = model.forward(in, lora.inference(1f), pass);
        prediction = pred.toFloatArray();
        NDArray lossArray = FlowMatching.loss(pred, target, null);
        loss = lossArray.getFloat();
        if (collect) {
          System.gc();
        }
        gc.backward(lossArray);
        pass.backward();
      }
      List<float[]> gradients = new ArrayList<>();
      for (LoraModule mod : lora.modules()) {
        gradients.add(mod.down().getGradient().toFloatArray());
        gradients.add(mod.up().getGradient().toFloatArray());
      }
      return new Step(prediction, loss, gradients);
    }
  }

  private static NDArray gaussian(NDManager m, SplittableRandom random, Shape shape) {
    float[] v = new float[(int) shape.size()];
    for (int i = 0; i < v.length; i++) {
      double u1 = random.nextDouble();
      double u2 = random.nextDouble();
      v[i] = (float) (Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
    }
    return m.create(v, shape);
  }
}
