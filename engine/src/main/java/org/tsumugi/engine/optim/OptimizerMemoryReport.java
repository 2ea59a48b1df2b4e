package org.tsumugi.engine.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Optimizer state memory of AdamW8bit against AdamW after one step on a LoRA-like set of about one million
 * parameters: 16 adapters of rank 16 on 2048-wide layers (down [16, 2048], up [2048, 16]).
 */
public final class OptimizerMemoryReport {
  private static final int ADAPTERS = 16;
  private static final int RANK = 16;
  private static final int WIDTH = 2048;

  private OptimizerMemoryReport() {}

  /** State bytes of each optimizer for the same parameters. */
  public record Figures(long parameters, long adamWBytes, long adamW8bitBytes) {
    public double ratio() {
      return (double) adamW8bitBytes / adamWBytes;
    }
  }

  public static void main(String[] args) {
    print(measure(), System.out);
  }

  static void print(Figures f, PrintStream out) {
    out.printf("parameters: %,d%n", f.parameters());
    out.printf("AdamW state: %,d bytes (%.2f bytes/parameter)%n", f.adamWBytes(),
        (double) f.adamWBytes() / f.parameters());
    out.printf("AdamW8bit state: %,d bytes (%.2f bytes/parameter), %.1f%% of AdamW%n", f.adamW8bitBytes(),
        (double) f.adamW8bitBytes() / f.parameters(), 100 * f.ratio());
  }

  public static Figures measure() {
    try (NDManager manager = NDManager.newBaseManager()) {
      List<ParameterGroup> groups = List.of(new ParameterGroup("unet", 1e-4, loraLike(manager)));
      long parameters = groups.get(0).parameters().stream().mapToLong(p -> p.value().size()).sum();
      long adamW = stateBytesAfterOneStep(new AdamW(AdamW.Settings.defaults(), groups, manager), groups);
      long adamW8bit =
          stateBytesAfterOneStep(new AdamW8bit(AdamW8bit.Settings.defaults(), groups, manager), groups);
      return new Figures(parameters, adamW, adamW8bit);
    }
  }

  private static List<Parameter> loraLike(NDManager manager) {
    List<Parameter> params = new ArrayList<>();
    for (int i = 0; i < ADAPTERS; i++) {
      params.add(trainable(manager, "lora_" + i + ".lora_down.weight", new Shape(RANK, WIDTH)));
      params.add(trainable(manager, "lora_" + i + ".lora_up.weight", new Shape(WIDTH, RANK)));
    }
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      for (Parameter p : params) {
        collector.backward(p.value().square().sum());
      }
    }
    return params;
  }

  private static Parameter trainable(NDManager manager, String name, Shape shape) {
    NDArray value = manager.randomNormal(shape);
    value.setRequiresGradient(true);
    return new Parameter(name, value);
  }

  private static long stateBytesAfterOneStep(Optimizer optimizer, List<ParameterGroup> groups) {
    optimizer.step(groups, new double[] {1e-4});
    long bytes = 0;
    for (NDArray state : optimizer.stateTensors().values()) {
      bytes += state.size() * state.getDataType().getNumOfBytes();
    }
    return bytes;
  }
}
