package org.tsumugi.engine.ema;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tsumugi.engine.io.SafetensorsFile;
import org.tsumugi.engine.io.SafetensorsHashes;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorSource;

/**
 * Offline post-hoc EMA over saved LoRA checkpoints, as the reference's {@code lora_post_hoc_ema.py}: everything is
 * checked before anything is written, then the output streams tensor by tensor across all inputs and is written
 * atomically with the newest input's metadata and freshly computed hashes.
 */
public final class PostHocEmaMerge {

  /** What was merged: the input order used, the schedule and the hashes written into the output. */
  public record Result(List<Path> order, EmaSchedule schedule, SafetensorsHashes hashes) {}

  private PostHocEmaMerge() {}

  /**
   * Merges {@code inputs} into {@code output}.
   *
   * @throws EmaMergeException for fewer than two inputs, an unreadable or corrupt input, differing names, shapes or
   *     alphas, an output that is one of the inputs, or a sigma_rel with no positive γ; nothing is written then
   */
  public static Result merge(List<Path> inputs, PostHocEmaSettings settings, Path output) throws IOException {
    if (inputs.size() < 2) {
      throw new EmaMergeException("a post-hoc EMA merge needs at least 2 checkpoints, got " + inputs.size());
    }
    EmaSchedule schedule = schedule(settings, inputs.size());
    List<Path> order = settings.noSort() ? List.copyOf(inputs) : sorted(inputs);
    try (EmaInputs checked = EmaInputs.open(order)) {
      EmaInputs.checkOutput(output, order);
      List<SafetensorsFile> files = checked.files();
      List<TensorSource> merged = files.get(0).tensors().stream()
          .<TensorSource>map(t -> new MergedTensor(t, files, schedule)).toList();
      Map<String, String> metadata = files.get(files.size() - 1).metadata();
      SafetensorsHashes hashes = SafetensorsWriter.writeHashed(output, metadata, merged);
      return new Result(order, schedule, hashes);
    }
  }

  private static List<Path> sorted(List<Path> inputs) throws EmaMergeException {
    try {
      return CheckpointOrder.byModificationTime(inputs);
    } catch (IOException e) {
      throw new EmaMergeException("cannot read the modification time of a checkpoint: " + e, e);
    }
  }

  static EmaSchedule schedule(PostHocEmaSettings settings, int checkpoints) throws EmaMergeException {
    try {
      return settings.schedule(checkpoints);
    } catch (IllegalArgumentException e) {
      throw new EmaMergeException(e.getMessage(), e);
    }
  }
}
