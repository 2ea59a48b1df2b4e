package org.tsumugi.engine.model.wan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a Wan configuration from a JSON file with the reference's field names ({@code dim}, {@code ffn_dim},
 * {@code freq_dim}, {@code text_dim}, {@code text_len}, {@code in_dim}, {@code out_dim}, {@code num_heads},
 * {@code num_layers}, {@code eps}, {@code model_type}), as in a model's {@code config.json}.
 */
public final class WanConfigJson {

  private WanConfigJson() {}

  public static WanConfig read(Path file) throws IOException {
    JsonNode n = new ObjectMapper().readTree(file.toFile());
    try {
      return new WanConfig(
          required(n, "dim", file).asInt(),
          required(n, "ffn_dim", file).asInt(),
          n.path("freq_dim").asInt(256),
          n.path("text_dim").asInt(4096),
          n.path("text_len").asInt(512),
          n.path("in_dim").asInt(16),
          n.path("out_dim").asInt(16),
          required(n, "num_heads", file).asInt(),
          required(n, "num_layers", file).asInt(),
          (float) n.path("eps").asDouble(1e-6),
          n.path("model_type").asText("t2v").startsWith("i2v"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode required(JsonNode n, String field, Path file) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber()) {
      throw new IllegalArgumentException(file + ": missing numeric field \"" + field + "\"");
    }
    return v;
  }
}
