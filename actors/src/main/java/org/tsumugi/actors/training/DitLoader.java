package org.tsumugi.actors.training;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tsumugi.config.ModelConfig;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.model.wan.WanCheckpoint;
import org.tsumugi.engine.model.wan.WanConfig;
import org.tsumugi.engine.model.wan.WanConfigJson;
import org.tsumugi.engine.model.wan.WanModel;
import org.tsumugi.engine.train.SigmaDtype;

/**
 * Opens the run's DiT: its sizes come from a {@code config.json} beside the checkpoint (the Wan release's format) when
 * there is one, else from the {@code task} preset; the checkpoint must match them key by key.
 */
final class DitLoader {

  record Loaded(WanModel model, SigmaDtype ditDtype) {}

  private DitLoader() {}

  static Loaded load(ModelConfig m, NDManager manager) throws IOException {
    WanConfig config = configFor(m);
    try (WanCheckpoint checkpoint = WanCheckpoint.open(m.dit(), config)) {
      return new Loaded(checkpoint.load(manager), ditDtype(checkpoint));
    }
  }

  static WanConfig configFor(ModelConfig m) throws IOException {
    Path json = m.dit().toAbsolutePath().resolveSibling("config.json");
    if (Files.isRegularFile(json)) {
      return WanConfigJson.read(json);
    }
    return WanConfig.Preset.forTask(m.task().optionName()).config();
  }

  /** The reference's dit_dtype: the checkpoint's (an fp8 file trains in bfloat16), reference/training.md §8. */
  private static SigmaDtype ditDtype(WanCheckpoint checkpoint) {
    String probe = checkpoint.tensors().checkpoint().names().stream()
        .filter(n -> n.endsWith("blocks.0.self_attn.q.weight")).findFirst().orElse(null);
    if (probe == null) {
      return SigmaDtype.BFLOAT16;
    }
    DType dtype = checkpoint.tensors().checkpoint().info(probe).dtype();
    return switch (dtype) {
      case F32, F64 -> SigmaDtype.FLOAT32;
      case F16 -> SigmaDtype.FLOAT16;
      default -> SigmaDtype.BFLOAT16;
    };
  }
}
