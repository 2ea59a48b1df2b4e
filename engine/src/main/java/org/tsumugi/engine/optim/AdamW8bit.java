package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.tsumugi.engine.tensor.HostCopy;

/**
 * bitsandbytes' AdamW8bit (reference/training.md §4.2) as its CUDA kernels compute it, all in float32:
 *
 * <pre>
 * m ← β1·m + (1 − β1)·g              v ← β2·v + ((1 − β2)·g)·g
 * p ← p + s·m / (√v + eps·c2)        s = −lr·c2/c1, c1 = 1 − β1^t, c2 = √(1 − β2^t)
 * p ← p·(1 − lr·wd)                   (after the step, and only when wd &gt; 0)
 * </pre>
 *
 * <p>A tensor of at least {@code min_8bit_size} (4096) elements keeps m and v as uint8 codes with one float32 absmax
 * per block of 256 ({@code state1/state2}, {@code absmax1/absmax2}); each step dequantises, updates in float32, uses
 * the float32 moments for the parameter and quantises them again ({@link BlockwiseAdamKernel}). Smaller tensors keep
 * float32 moments and the 32-bit kernel's order ({@code v ← β2·v + (1 − β2)·g²}).
 */
public final class AdamW8bit extends PerParameterOptimizer {

  /** Hyper-parameters; bitsandbytes' defaults are betas (0.9, 0.999), eps 1e-8, weight_decay 0.01, 4096. */
  public record Settings(double beta1, double beta2, double eps, double weightDecay, long min8bitSize) {
    public static Settings defaults() {
      return new Settings(0.9, 0.999, 1e-8, 0.01, 4096);
    }
  }

  private final Settings settings;
  private final BlockwiseAdamKernel kernel;

  public AdamW8bit(Settings settings, List<ParameterGroup> groups, NDManager stateManager) {
    super(groups, stateManager);
    this.settings = settings;
    this.kernel = new BlockwiseAdamKernel(DynamicMap.create(true), DynamicMap.create(false));
  }

  /** Whether a tensor of this many elements keeps 8-bit moments. */
  public boolean quantises(long elements) {
    return elements >= settings.min8bitSize;
  }


  @Override
  void update(Parameter p, double lr, long step) {
    BlockwiseAdamKernel.Constants c = constants((float) lr, step);
    if (quantises(p.value().size())) {
      update8bit(p, c);
    } else {
      update32bit(p, c);
    }
  }

  private BlockwiseAdamKernel.Constants constants(float lr, long steps) {
    float b1 = (float) settings.beta1;
    float b2 = (float) settings.beta2;
    float c1 = 1f - (float) Math.pow(b1, steps);
    float c2 = (float) Math.sqrt(1f - (float) Math.pow(b2, steps));
    float decay = 1f - lr * (float) settings.weightDecay;
    return new BlockwiseAdamKernel.Constants(b1, b2, -lr * c2 / c1, c2 * (float) settings.eps, decay,
        settings.weightDecay > 0);
  }

  /** The 8-bit state is worked on in Java arrays, one tensor at a time (LoRA tensors are small). */
  private void update8bit(Parameter p, BlockwiseAdamKernel.Constants c) {
    NDArray param = p.value();
    Shape blockShape = new Shape(BlockwiseAdamKernel.blocks(param.size()));
    NDArray codes1 = stateOf(p, ".state1", param.getShape(), DataType.UINT8);
    NDArray codes2 = stateOf(p, ".state2", param.getShape(), DataType.UINT8);
    NDArray absmax1 = stateOf(p, ".absmax1", blockShape, DataType.FLOAT32);
    NDArray absmax2 = stateOf(p, ".absmax2", blockShape, DataType.FLOAT32);
    float[] values = HostCopy.floats(param);
    byte[] q1 = codes1.toByteArray();
    byte[] q2 = codes2.toByteArray();
    float[] a1 = HostCopy.floats(absmax1);
    float[] a2 = HostCopy.floats(absmax2);
    kernel.step(values, HostCopy.floats(p.gradient()), q1, q2, a1, a2, c);
    param.set(values);
    codes1.set(q1);
    codes2.set(q2);
    absmax1.set(a1);
    absmax2.set(a2);
  }

  /** The 32-bit kernel: v ← β2·v + (1 − β2)·g², weight decay after the step. */
  private void update32bit(Parameter p, BlockwiseAdamKernel.Constants c) {
    NDArray param = p.value();
    NDArray m = stateOf(p, ".state1", param.getShape(), DataType.FLOAT32);
    NDArray v = stateOf(p, ".state2", param.getShape(), DataType.FLOAT32);
    NDArray g = p.gradient();
    m.muli(c.beta1()).addi(g.mul(1f - c.beta1()));
    v.muli(c.beta2()).addi(g.mul(g).muli(1f - c.beta2()));
    param.addi(m.div(v.sqrt().addi(c.epsC2())).muli(c.stepSize()));
    if (c.decays()) {
      param.muli(c.decay());
    }
  }





  @Override
  List<String> stateSuffixes(Parameter p) {
    return quantises(p.value().size()) ? List.of(".state1", ".state2", ".absmax1", ".absmax2")
        : List.of(".state1", ".state2");
  }
}
