package org.tsumugi.engine.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.tsumugi.engine.nn.LinearLayer;

/**
 * Fresh adapter weights: down ~ U(−1/√in, 1/√in) (torch's kaiming_uniform with a = √5), up = 0. The draws are a
 * pure function of the run's seed and the module's index.
 */
public final class LoraInit {

  private LoraInit() {}

  public static LoraModule create(
      LinearLayer layer, int index, int rank, float alpha, NDManager manager, long seed) {
    int in = (int) layer.inFeatures();
    int out = (int) layer.outFeatures();
    float bound = (float) (1.0 / Math.sqrt(in));
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    float[] down = new float[rank * in];
    for (int i = 0; i < down.length; i++) {
      down[i] = (float) ((random.nextDouble() * 2.0 - 1.0) * bound);
    }
    NDArray downArray = manager.create(down, new Shape(rank, in));
    NDArray upArray = manager.zeros(new Shape(out, rank));
    float effectiveAlpha = alpha == 0f ? rank : alpha;
    return trainable(new LoraModule(LoraModule.loraNameOf(layer.module()), layer.module(), rank, effectiveAlpha,
        downArray, upArray));
  }

  static LoraModule trainable(LoraModule m) {
    m.down().setRequiresGradient(true);
    m.up().setRequiresGradient(true);
    return m;
  }
}
