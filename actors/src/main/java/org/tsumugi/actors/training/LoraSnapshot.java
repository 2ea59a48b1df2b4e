package org.tsumugi.actors.training;

import java.util.ArrayList;
import java.util.List;
import org.tsumugi.engine.io.ComputedTensor;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.TensorData;
import org.tsumugi.engine.io.TensorSource;
import org.tsumugi.engine.lora.LoraModule;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.tensor.HostCopy;

/**
 * An immutable copy of a LoRA's weights taken between two steps (cheap for a LoRA), so that converting, hashing and
 * writing can happen on another thread while training goes on.
 */
public record LoraSnapshot(List<Module> modules) {

  /** One adapter: its keys, shapes and float32 values. */
  public record Module(String loraName, long[] downShape, float[] down, long[] upShape, float[] up, float alpha) {}

  public LoraSnapshot {
    modules = List.copyOf(modules);
  }

  /** Copies the network's current values (call on the thread that owns the tensors). */
  public static LoraSnapshot of(LoraNetwork network) {
    List<Module> modules = new ArrayList<>();
    for (LoraModule m : network.modules()) {
      modules.add(new Module(m.loraName(), m.down().getShape().getShape(), HostCopy.floats(m.down()),
          m.up().getShape().getShape(), HostCopy.floats(m.up()), m.alpha()));
    }
    return new LoraSnapshot(modules);
  }

  /**
   * The tensors of a LoRA file cast to {@code dtype}, alpha included (reference/lora-and-ema.md §1.8), each converted
   * when a writer asks for it.
   */
  public List<TensorSource> tensors(DType dtype) {
    List<TensorSource> out = new ArrayList<>();
    for (Module m : modules) {
      out.add(ComputedTensor.ofFloats(m.loraName() + ".lora_down.weight", m.downShape(), dtype, m::down));
      out.add(ComputedTensor.ofFloats(m.loraName() + ".lora_up.weight", m.upShape(), dtype, m::up));
      out.add(TensorData.fromFloats(m.loraName() + ".alpha", new float[] {m.alpha()}, new long[0], dtype));
    }
    return out;
  }
}
