package org.tsumugi.engine.ema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tsumugi.engine.io.ComputedTensor;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsFile;
import org.tsumugi.engine.io.SafetensorsHashes;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorData;
import org.tsumugi.engine.io.TensorInfo;
import org.tsumugi.engine.io.TensorSource;

/**
 * Post-hoc EMA applied one checkpoint at a time, for a live EMA that folds each checkpoint as it is saved. The running
 * average lives in an accumulator file (float tensors as F32, integer tensors as in the first checkpoint; metadata
 * records the first checkpoint's dtypes, the fold count and the schedule). Each step does exactly the offline merge's
 * float32 operations, so {@code start}, {@code fold}… and {@code finish} over the same files in the same order give a
 * file byte-identical to {@link PostHocEmaMerge#merge}.
 */
public final class EmaAccumulator {
  static final String FOLDED_KEY = "tsumugi.ema.folded";
  static final String DTYPES_KEY = "tsumugi.ema.dtypes";
  static final String SCHEDULE_KEY = "tsumugi.ema.schedule";
  private static final ObjectMapper JSON = new ObjectMapper();

  private EmaAccumulator() {}

  /** Starts the average from the first checkpoint. */
  public static EmaState start(Path firstCheckpoint, EmaSchedule schedule, Path accumulator) throws IOException {
    EmaInputs.checkOutput(accumulator, List.of(firstCheckpoint));
    try (SafetensorsFile first = SafetensorsFile.open(firstCheckpoint)) {
      Map<String, String> dtypes = new LinkedHashMap<>();
      List<TensorSource> tensors = new ArrayList<>();
      for (TensorInfo t : first.tensors()) {
        if (t.dtype().isFloatingPoint()) {
          dtypes.put(t.name(), t.dtype().headerName());
          tensors.add(new ComputedTensor(t.name(), DType.F32, t.shape(), () -> float32(t, first.readFloats(t.name()))));
        } else {
          tensors.add(first.tensorData(t.name()));
        }
      }
      SafetensorsWriter.write(accumulator, metadata(1, dtypes, schedule), tensors);
    }
    return EmaState.of(accumulator, 1);
  }

  /**
   * Folds the next checkpoint in with β of merge number {@code state.folded() − 1}, writing a new accumulator file
   * (the previous one stays valid until the caller records the returned state).
   *
   * @throws EmaMergeException if the checkpoint does not match the average (names, shapes, kinds, alphas), the
   *     accumulator was folded a different number of times or with another schedule, or a path is reused
   */
  public static EmaState fold(EmaState state, Path checkpoint, EmaSchedule schedule, Path newAccumulator)
      throws IOException {
    EmaInputs.checkOutput(newAccumulator, List.of(state.accumulator(), checkpoint));
    try (SafetensorsFile average = openAccumulator(state, schedule);
        SafetensorsFile next = SafetensorsFile.open(checkpoint)) {
      EmaInputs.checkCompatible(average, next);
      double beta = beta(schedule, state.folded() - 1);
      List<TensorSource> tensors = new ArrayList<>();
      for (TensorInfo t : average.tensors()) {
        if (!t.dtype().isFloatingPoint() || PostHocEma.isAlpha(t.name())) {
          tensors.add(average.tensorData(t.name()));
        } else {
          tensors.add(new ComputedTensor(t.name(), DType.F32, t.shape(), () -> {
            float[] values = average.readFloats(t.name());
            PostHocEma.fold(values, next.readFloats(t.name()), beta);
            return float32(t, values);
          }));
        }
      }
      SafetensorsWriter.write(newAccumulator, metadata(state.folded() + 1, dtypes(average), schedule), tensors);
    }
    return EmaState.of(newAccumulator, state.folded() + 1);
  }

  /**
   * Writes the merged LoRA: floats back in the first checkpoint's dtypes, the newest checkpoint's metadata with both
   * hashes recomputed.
   */
  public static SafetensorsHashes finish(EmaState state, EmaSchedule schedule, Path newestCheckpoint, Path output)
      throws IOException {
    EmaInputs.checkOutput(output, List.of(state.accumulator(), newestCheckpoint));
    try (SafetensorsFile average = openAccumulator(state, schedule);
        SafetensorsFile newest = SafetensorsFile.open(newestCheckpoint)) {
      Map<String, String> dtypes = dtypes(average);
      List<TensorSource> tensors = new ArrayList<>();
      for (TensorInfo t : average.tensors()) {
        String original = dtypes.get(t.name());
        if (original == null) {
          tensors.add(average.tensorData(t.name()));
        } else {
          DType dtype = DType.fromHeader(original);
          tensors.add(new ComputedTensor(t.name(), dtype, t.shape(),
              () -> TensorData.fromFloats(t.name(), average.readFloats(t.name()), t.shape(), dtype).data()));
        }
      }
      return SafetensorsWriter.writeHashed(output, newest.metadata(), tensors);
    }
  }

  private static double beta(EmaSchedule schedule, int merge) throws EmaMergeException {
    try {
      return schedule.beta(merge);
    } catch (IllegalArgumentException e) {
      throw new EmaMergeException(e.getMessage(), e);
    }
  }

  private static SafetensorsFile openAccumulator(EmaState state, EmaSchedule schedule) throws IOException {
    SafetensorsFile average = SafetensorsFile.open(state.accumulator());
    Map<String, String> md = average.metadata();
    String problem = !String.valueOf(state.folded()).equals(md.get(FOLDED_KEY))
        ? "has folded " + md.get(FOLDED_KEY) + " checkpoints, the state says " + state.folded()
        : !schedule.toString().equals(md.get(SCHEDULE_KEY))
            ? "was built with " + md.get(SCHEDULE_KEY) + ", not " + schedule
            : null;
    if (problem != null) {
      average.close();
      throw new EmaMergeException("EMA accumulator " + state.accumulator() + " " + problem);
    }
    return average;
  }

  private static Map<String, String> metadata(int folded, Map<String, String> dtypes, EmaSchedule schedule)
      throws JsonProcessingException {
    Map<String, String> md = new LinkedHashMap<>();
    md.put(FOLDED_KEY, Integer.toString(folded));
    md.put(SCHEDULE_KEY, schedule.toString());
    md.put(DTYPES_KEY, JSON.writeValueAsString(dtypes));
    return md;
  }

  private static Map<String, String> dtypes(SafetensorsFile average) throws IOException {
    String json = average.metadata().get(DTYPES_KEY);
    if (json == null) {
      throw new EmaMergeException(average.path() + " is not an EMA accumulator (no " + DTYPES_KEY + " metadata)");
    }
    return JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {});
  }

  private static java.nio.ByteBuffer float32(TensorInfo t, float[] values) {
    return TensorData.fromFloats(t.name(), values, t.shape(), DType.F32).data();
  }
}
