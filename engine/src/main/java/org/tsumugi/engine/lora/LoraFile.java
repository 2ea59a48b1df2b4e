package org.tsumugi.engine.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tsumugi.engine.io.Checkpoint;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsHashes;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorData;
import org.tsumugi.engine.nn.LinearLayer;

/**
 * LoRA weight files in the reference's layout (reference/lora-and-ema.md §1.5, §1.8): per module
 * {@code <lora_name>.lora_down.weight} [r, in], {@code .lora_up.weight} [out, r] and a 0-dim {@code .alpha}.
 */
public final class LoraFile {

  private LoraFile() {}

  /**
   * Saves every tensor (alpha included) cast to {@code dtype} with {@code metadata} plus the two sshs hashes computed
   * as the reference does, atomically. Returns the hashes written.
   */
  public static SafetensorsHashes write(Path file, LoraNetwork network, DType dtype, Map<String, String> metadata)
      throws IOException {
    return SafetensorsWriter.writeHashed(file, metadata, tensors(network, dtype));
  }

  /** The tensors a save writes, in the network's order (the writer sorts them as the safetensors library does). */
  public static List<TensorData> tensors(LoraNetwork network, DType dtype) {
    List<TensorData> out = new ArrayList<>();
    for (LoraModule m : network.modules()) {
      out.add(TensorData.fromFloats(m.downKey(), m.down().toFloatArray(), m.down().getShape().getShape(), dtype));
      out.add(TensorData.fromFloats(m.upKey(), m.up().toFloatArray(), m.up().getShape().getShape(), dtype));
      out.add(TensorData.fromFloats(m.alphaKey(), new float[] {m.alpha()}, new long[0], dtype));
    }
    return out;
  }

  /**
   * Builds a network from a file's own modules, ranks and alphas (the intended meaning of {@code dim_from_weights},
   * and how a LoRA is applied for inference): only modules present in the file are created, no patterns apply.
   * A module the model does not have is refused by name.
   */
  public static LoraNetwork read(Path file, LoraTargets targets, NDManager manager) throws IOException {
    try (Checkpoint ckpt = Checkpoint.open(file)) {
      Map<String, LinearLayer> byLoraName = new HashMap<>();
      for (LinearLayer layer : targets.candidates()) {
        byLoraName.put(LoraModule.loraNameOf(layer.module()), layer);
      }
      Set<String> loraNames = new LinkedHashSet<>();
      for (String key : ckpt.names()) {
        int dot = key.indexOf('.');
        if (dot > 0) {
          loraNames.add(key.substring(0, dot));
        }
      }
      List<LoraModule> modules = new ArrayList<>();
      for (LinearLayer layer : targets.candidates()) { // keep the model's module order
        String name = LoraModule.loraNameOf(layer.module());
        if (loraNames.remove(name)) {
          modules.add(readModule(ckpt, file, name, layer, manager));
        }
      }
      if (!loraNames.isEmpty()) {
        throw new IllegalArgumentException(file + ": LoRA modules not found in the model: "
            + String.join(", ", loraNames.stream().limit(10).toList()));
      }
      return new LoraNetwork(targets.networkModule(), modules);
    }
  }

  private static LoraModule readModule(Checkpoint ckpt, Path file, String name, LinearLayer layer, NDManager m) {
    String downKey = name + ".lora_down.weight";
    long[] down = ckpt.info(downKey).shape();
    int rank = (int) down[0];
    requireShape(file, downKey, down, new long[] {rank, layer.inFeatures()});
    requireShape(file, name + ".lora_up.weight", ckpt.info(name + ".lora_up.weight").shape(),
        new long[] {layer.outFeatures(), rank});
    float alpha = ckpt.find(name + ".alpha").isPresent() ? ckpt.readFloats(name + ".alpha")[0] : rank;
    return LoraInit.trainable(new LoraModule(name, layer.module(), rank, alpha,
        ckpt.load(m, downKey), ckpt.load(m, name + ".lora_up.weight")));
  }

  /**
   * {@code network_weights}: copies a file's down/up/alpha values into an existing network (load_state_dict with
   * strict=False: keys the network lacks and modules the file lacks are ignored; a shape mismatch is refused).
   * The configured alpha stays in force for both the scale and later saves (the reference trains with the configured
   * alpha but saves the file's: we keep the two consistent).
   */
  public static int loadInto(LoraNetwork network, Path file) throws IOException {
    int loaded = 0;
    try (Checkpoint ckpt = Checkpoint.open(file)) {
      for (LoraModule m : network.modules()) {
        for (Map.Entry<String, NDArray> e : Map.of(m.downKey(), m.down(), m.upKey(), m.up()).entrySet()) {
          if (ckpt.find(e.getKey()).isPresent()) {
            requireShape(file, e.getKey(), ckpt.info(e.getKey()).shape(), e.getValue().getShape().getShape());
            e.getValue().set(ckpt.readFloats(e.getKey()));
            loaded++;
          }
        }
      }
    }
    return loaded;
  }

  private static void requireShape(Path file, String key, long[] found, long[] expected) {
    if (!Arrays.equals(found, expected)) {
      throw new IllegalArgumentException(file + ": " + key + " has shape " + Arrays.toString(found) + ", the model needs "
          + Arrays.toString(expected));
    }
  }
}
