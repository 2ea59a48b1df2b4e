package org.tsumugi.actors.training;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tsumugi.config.ModelConfig;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.model.MemoryOptions;
import org.tsumugi.engine.model.wan.WanCheckpoint;
import org.tsumugi.engine.model.wan.WanConfig;
import org.tsumugi.engine.model.wan.WanConfigJson;
import org.tsumugi.engine.model.wan.WanModel;
import org.tsumugi.engine.train.SigmaDtype;

/**
 * Opens the run's DiT: its sizes come from a {@code config.json} beside the checkpoint (the Wan release's format) when
 * there is one, else from the {@code task} preset; the checkpoint must match them key by key. Its block weights are
 * placed for the run's memory options (fp8_scaled, blocks_to_swap); swapped blocks are read from the checkpoint
 * whenever they are brought in, so it stays open as long as the model is used.
 */
final class DitLoader {

  /** The model and the open checkpoint it streams from; closing it closes the checkpoint. */
  record Loaded(WanModel model, SigmaDtype ditDtype, MemoryOptions memory, WanCheckpoint checkpoint)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      checkpoint.close();
    }
  }

  private DitLoader() {}

  static Loaded load(ModelConfig m, NDManager manager) throws IOException {
    MemoryOptions memory = MemoryOptions.of(m);
    WanCheckpoint checkpoint = WanCheckpoint.open(m.dit(), configFor(m));
    try {
      return new Loaded(checkpoint.load(manager, memory), ditDtype(checkpoint), memory, checkpoint);
    } catch (RuntimeException e) {
      checkpoint.close();
      throw e;
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
    DType dtype = checkpoint.blockWeightDtype().orElse(DType.BF16);
    return switch (dtype) {
      case F32, F64 -> SigmaDtype.FLOAT32;
      case F16 -> SigmaDtype.FLOAT16;
      default -> SigmaDtype.BFLOAT16;
    };
  }
}
