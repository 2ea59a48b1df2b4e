package org.tsumugi.actors.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorSource;
import org.tsumugi.engine.model.wan.WanConfig;
import org.tsumugi.engine.model.wan.WanLayout;
import org.tsumugi.engine.tensor.RandomTensorStore;

/**
 * Writes a generated Wan-architecture DiT as a real checkpoint: bfloat16 safetensors with the published key names
 * (values from {@link RandomTensorStore}) and a {@code config.json} beside it in the Wan release's format, from which
 * the trainer reads its sizes.
 */
public final class GeneratedModel {

  private GeneratedModel() {}

  /** Writes {@code dir/model.safetensors} and {@code dir/config.json}; returns the checkpoint's path. */
  public static Path write(Path dir, WanConfig config, long seed) throws IOException {
    Files.createDirectories(dir);
    Map<String, long[]> shapes = WanLayout.expectedShapes(config);
    RandomTensorStore store = new RandomTensorStore(shapes, seed);
    List<TensorSource> tensors = new ArrayList<>();
    shapes.keySet().forEach(key -> tensors.add(store.source(key, DType.BF16)));
    Path model = dir.resolve("model.safetensors");
    SafetensorsWriter.write(model, Map.of("format", "pt"), tensors);
    Files.writeString(dir.resolve("config.json"), configJson(config), StandardCharsets.UTF_8);
    return model;
  }

  static String configJson(WanConfig c) {
    return String.format(Locale.ROOT, "{\n  \"model_type\": \"%s\",\n  \"dim\": %d,\n  \"ffn_dim\": %d,\n"
        + "  \"freq_dim\": %d,\n  \"text_dim\": %d,\n  \"text_len\": %d,\n  \"in_dim\": %d,\n  \"out_dim\": %d,\n"
        + "  \"num_heads\": %d,\n  \"num_layers\": %d,\n  \"eps\": %s\n}\n", c.imageToVideo() ? "i2v" : "t2v",
        c.dim(), c.ffnDim(), c.freqDim(), c.textDim(), c.textLen(), c.inDim(), c.outDim(), c.numHeads(),
        c.numLayers(), Float.toString(c.eps()));
  }
}
