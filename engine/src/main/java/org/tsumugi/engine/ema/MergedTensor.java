package org.tsumugi.engine.ema;

import java.nio.ByteBuffer;
import java.util.List;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsFile;
import org.tsumugi.engine.io.TensorData;
import org.tsumugi.engine.io.TensorInfo;
import org.tsumugi.engine.io.TensorSource;

/**
 * One tensor of the merged output, computed only when the writer asks for it (so memory holds one tensor at a time):
 * floats start from the first file in float32 and fold in each later file with its β, then return to the first
 * file's dtype; alphas and non-float tensors come from the first file (reference/lora-and-ema.md §2 steps 3–5).
 */
final class MergedTensor implements TensorSource {
  private final TensorInfo first;
  private final List<SafetensorsFile> files;
  private final EmaSchedule schedule;

  MergedTensor(TensorInfo first, List<SafetensorsFile> files, EmaSchedule schedule) {
    this.first = first;
    this.files = files;
    this.schedule = schedule;
  }

  @Override
  public String name() {
    return first.name();
  }

  @Override
  public DType dtype() {
    return first.dtype();
  }

  @Override
  public long[] shape() {
    return first.shape();
  }

  @Override
  public ByteBuffer data() {
    SafetensorsFile origin = files.get(0);
    if (!first.dtype().isFloatingPoint()) {
      return origin.rawBytes(name());
    }
    float[] average = origin.readFloats(name());
    if (!PostHocEma.isAlpha(name())) {
      float[] value = new float[average.length];
      for (int i = 1; i < files.size(); i++) {
        PostHocEma.fold(average, files.get(i).readFloats(name(), value), schedule.beta(i - 1));
      }
    }
    return TensorData.fromFloats(name(), average, shape(), dtype()).data();
  }
}
