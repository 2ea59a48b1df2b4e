package org.tsumugi.ops;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tsumugi.engine.io.Checkpoint;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorData;
import org.tsumugi.engine.lora.LoraFile;
import org.tsumugi.engine.lora.LoraModule;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.model.wan.WanCheckpoint;
import org.tsumugi.engine.model.wan.WanConfig;
import org.tsumugi.engine.model.wan.WanConfigJson;
import org.tsumugi.engine.model.wan.WanInputs;
import org.tsumugi.engine.model.wan.WanLoraTargets;
import org.tsumugi.engine.model.wan.WanModel;
import org.tsumugi.engine.nn.LinearCall;
import org.tsumugi.engine.train.FlowMatching;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tsumugi forward}: runs the DiT once on inputs from a safetensors file and writes what it predicts — the way a
 * user checks a model or a conversion against the reference. Input keys: {@code noisy} [B,16,F,H,W],
 * {@code timesteps} [B], {@code context.0..B-1} [L_i, text_dim]; for {@code --loss} also {@code x0} and {@code noise};
 * image-to-video adds {@code y} and {@code clip}. Output keys: {@code pred_base}, with a LoRA {@code pred_lora}, with
 * {@code --loss} {@code loss} and {@code <lora key>.grad} for every LoRA weight.
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
    description = "Run the Wan DiT (optionally with a LoRA) on saved inputs and write its predictions.")
final class ForwardCommand implements Callable<Integer> {

  @Option(names = "--dit", required = true, description = "DiT checkpoint (.safetensors, sharded set or index).")
  Path dit;

  @ArgGroup(exclusive = true)
  ModelSizes sizes = new ModelSizes();

  static final class ModelSizes {
    @Option(names = "--task", description = "Named configuration: t2v-1.3B, t2v-14B, i2v-14B.")
    String task;

    @Option(names = "--model_config", description = "JSON with the model's sizes (dim, ffn_dim, num_heads, ...).")
    Path modelConfig;
  }

  @Option(names = "--num_heads", description = "Head count when sizes are read off the checkpoint (default: dim/128).")
  Integer numHeads;

  @Option(names = "--text_len", defaultValue = "512", description = "Text rows when sizes are read off the checkpoint.")
  int textLen;

  @Option(names = "--inputs", required = true, description = "safetensors file with noisy, timesteps, context.N.")
  Path inputs;

  @Option(names = "--lora", description = "LoRA weights to apply.")
  Path lora;

  @Option(names = "--multiplier", defaultValue = "1.0", description = "LoRA multiplier (default ${DEFAULT-VALUE}).")
  float multiplier;

  @Option(names = "--loss", description = "Also write the MSE loss against noise - x0 and every LoRA gradient.")
  boolean loss;

  @Option(names = "--output", required = true, description = "Where the predictions are written (safetensors).")
  Path output;

  @Override
  public Integer call() throws IOException {
    try (NDManager manager = NDManager.newBaseManager();
        WanCheckpoint ckpt = openModel();
        Checkpoint in = Checkpoint.open(inputs)) {
      WanModel model = ckpt.load(manager);
      WanInputs batch = readInputs(in, manager);
      Map<String, float[]> results = new LinkedHashMap<>();
      Map<String, long[]> shapes = new LinkedHashMap<>();
      NDArray base = model.forward(batch, LinearCall.PLAIN);
      put(results, shapes, "pred_base", base);
      if (lora != null || loss) {
        runWithLora(model, batch, in, manager, results, shapes);
      }
      List<TensorData> tensors = new ArrayList<>();
      results.forEach((k, v) -> tensors.add(TensorData.fromFloats(k, v, shapes.get(k), DType.F32)));
      SafetensorsWriter.writeWithoutMetadata(output, tensors);
      System.out.println("model " + ckpt.config() + ": wrote " + results.size() + " tensors to " + output);
      return 0;
    }
  }

  private void runWithLora(WanModel model, WanInputs batch, Checkpoint in, NDManager manager,
      Map<String, float[]> results, Map<String, long[]> shapes) throws IOException {
    LoraNetwork network = lora == null ? null : LoraFile.read(lora, WanLoraTargets.of(model.weights()), manager);
    LinearCall call = network == null ? LinearCall.PLAIN : network.inference(multiplier);
    try (GradientCollector collector = loss ? Engine.getInstance().newGradientCollector() : null) {
      NDArray pred = model.forward(batch, call);
      if (network != null) {
        put(results, shapes, "pred_lora", pred);
      }
      if (loss) {
        NDArray target = FlowMatching.target(require(in, "x0", manager), require(in, "noise", manager));
        NDArray value = FlowMatching.loss(pred, target, null);
        put(results, shapes, "loss", value.reshape(1));
        if (network != null) {
          collector.backward(value);
        }
      }
    }
    if (loss && network != null) {
      for (LoraModule m : network.modules()) {
        put(results, shapes, m.downKey() + ".grad", m.down().getGradient());
        put(results, shapes, m.upKey() + ".grad", m.up().getGradient());
      }
    }
  }

  private WanCheckpoint openModel() throws IOException {
    if (sizes.task != null) {
      return WanCheckpoint.open(dit, WanConfig.Preset.forTask(sizes.task).config());
    }
    if (sizes.modelConfig != null) {
      return WanCheckpoint.open(dit, WanConfigJson.read(sizes.modelConfig));
    }
    return WanCheckpoint.openInferred(dit, numHeads == null ? 0 : numHeads, textLen);
  }

  private WanInputs readInputs(Checkpoint in, NDManager m) {
    NDArray noisy = require(in, "noisy", m);
    int batch = (int) noisy.getShape().get(0);
    List<NDArray> context = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      context.add(require(in, "context." + i, m));
    }
    float[] timesteps = in.readFloats("timesteps");
    NDArray y = in.find("y").isPresent() ? in.load(m, "y") : null;
    NDArray clip = in.find("clip").isPresent() ? in.load(m, "clip") : null;
    return new WanInputs(noisy, timesteps, context, y, clip);
  }

  private NDArray require(Checkpoint in, String key, NDManager m) {
    if (in.find(key).isEmpty()) {
      throw new IllegalArgumentException(inputs + ": missing input tensor " + key);
    }
    return in.load(m, key);
  }

  private static void put(Map<String, float[]> out, Map<String, long[]> shapes, String key, NDArray a) {
    out.put(key, a.toFloatArray());
    shapes.put(key, a.getShape().getShape());
  }
}
