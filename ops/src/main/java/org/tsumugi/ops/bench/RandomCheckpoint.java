package org.tsumugi.ops.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorData;
import org.tsumugi.engine.io.TensorSource;
import org.tsumugi.engine.model.wan.WanConfig;
import org.tsumugi.engine.model.wan.WanLayout;
import org.tsumugi.engine.quant.Fp8Targets;
import org.tsumugi.engine.quant.Fp8Tensor;
import org.tsumugi.engine.quant.ScaledFp8;
import org.tsumugi.engine.quant.SourcePrecision;
import org.tsumugi.engine.tensor.RandomTensorStore;

/**
 * A generated Wan checkpoint on disk, written once and reused: bf16 like the released weights, or scaled fp8 (the
 * block linears as F8_E4M3 with bf16 {@code .scale_weight}s, the rest bf16). Tensors are generated one at a time
 * while the file is written.
 */
final class RandomCheckpoint {

  enum Format { BF16, FP8_SCALED }

  private RandomCheckpoint() {}

  /** The file for {@code config}, written first if it does not exist yet. */
  static Path ensure(Path dir, WanConfig config, long seed, Format format) throws IOException {
    Path file = dir.resolve(String.format("wan-d%d-l%d-seed%d-%s.safetensors", config.dim(), config.numLayers(), seed,
        format.name().toLowerCase(java.util.Locale.ROOT)));
    if (Files.exists(file)) {
      return file;
    }
    Files.createDirectories(dir);
    RandomTensorStore store = new RandomTensorStore(WanLayout.expectedShapes(config), seed);
    List<TensorSource> tensors = new ArrayList<>();
    store.shapes().forEach((key, shape) -> {
      boolean quantised = format == Format.FP8_SCALED && Fp8Targets.selects(key);
      tensors.add(new Generated(store, key, shape, quantised ? DType.F8_E4M3 : DType.BF16));
      if (quantised) {
        tensors.add(new Generated(store, Fp8Targets.scaleKey(key), new long[] {shape[0], shape[1] / 64, 1},
            DType.BF16));
      }
    });
    SafetensorsWriter.write(file, Map.of("format", "pt"), tensors);
    return file;
  }

  /** One tensor, produced when the writer asks for it. */
  private record Generated(RandomTensorStore store, String name, long[] shape, DType dtype) implements TensorSource {

    @Override
    public ByteBuffer data() throws java.io.IOException {
      if (name.endsWith(".scale_weight")) {
        return TensorData.fromFloats(name, quantised(name.replace(".scale_weight", ".weight")).scaleValues(), shape,
            dtype).data();
      }
      if (dtype == DType.F8_E4M3) {
        return ByteBuffer.wrap(quantised(name).codeBytes());
      }
      return store.source(name, dtype).data();
    }

    /** The weight as a bf16 release holds it, quantised with bf16 scale arithmetic (reference/wan-model.md §5). */
    private Fp8Tensor quantised(String key) {
      float[] values = store.values(key);
      for (int i = 0; i < values.length; i++) {
        values[i] = SourcePrecision.BF16.round(values[i]);
      }
      return ScaledFp8.quantise(values, store.shapes().get(key), SourcePrecision.BF16);
    }
  }
}
