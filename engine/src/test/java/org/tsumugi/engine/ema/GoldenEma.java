package org.tsumugi.engine.ema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.tsumugi.engine.io.Golden;

/** The golden post-hoc EMA cases (post-hoc-ema/manifest.json) and a temp copy of their inputs with the right mtimes. */
final class GoldenEma {
  static final String[] CHECKPOINTS = {"ckpt_a", "ckpt_b", "ckpt_c", "ckpt_d", "ckpt_e", "ckpt_f"};

  record Case(String name, PostHocEmaSettings settings, List<String> inputOrder, String output, double gamma,
      String modelHash, String legacyHash) {}

  private GoldenEma() {}

  static Path dir() {
    return Golden.dir().resolve("post-hoc-ema");
  }

  static JsonNode manifest() throws IOException {
    return new ObjectMapper().readTree(Golden.file("post-hoc-ema/manifest.json").toFile());
  }

  static List<Case> cases() throws IOException {
    List<Case> cases = new ArrayList<>();
    for (JsonNode r : manifest().get("results")) {
      JsonNode sigma = r.get("sigma_rel");
      PostHocEmaSettings settings = new PostHocEmaSettings(r.get("beta").asDouble(),
          OptionalDouble.of(r.get("beta2").asDouble()),
          sigma.isNull() ? OptionalDouble.empty() : OptionalDouble.of(sigma.asDouble()),
          r.path("no_sort").asBoolean(false));
      List<String> order = new ArrayList<>();
      r.get("input_order").forEach(n -> order.add(n.asText()));
      cases.add(new Case(r.get("name").asText(), settings, order, r.get("output").asText(),
          r.get("gamma").isNull() ? Double.NaN : r.get("gamma").asDouble(), r.get("sshs_model_hash").asText(),
          r.get("sshs_legacy_hash").asText()));
    }
    return cases;
  }

  /** Copies the six inputs into {@code dir}, giving them ascending modification times in manifest mtime_order. */
  static List<Path> copyInputs(Path dir) throws IOException {
    List<String> mtimeOrder = new ArrayList<>();
    manifest().get("mtime_order").forEach(n -> mtimeOrder.add(n.asText()));
    long base = 1_700_000_000_000L;
    for (int i = 0; i < mtimeOrder.size(); i++) {
      Path copy = dir.resolve(mtimeOrder.get(i) + ".safetensors");
      Files.copy(dir().resolve(mtimeOrder.get(i) + ".safetensors"), copy);
      copy.toFile().setWritable(true);
      Files.setLastModifiedTime(copy, FileTime.fromMillis(base + 60_000L * i));
    }
    List<Path> alphabetical = new ArrayList<>();
    for (String c : CHECKPOINTS) {
      alphabetical.add(dir.resolve(c + ".safetensors"));
    }
    return alphabetical;
  }
}
