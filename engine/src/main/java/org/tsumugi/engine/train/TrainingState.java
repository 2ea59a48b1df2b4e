package org.tsumugi.engine.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tsumugi.engine.io.ComputedTensor;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsFile;
import org.tsumugi.engine.io.SafetensorsFormatException;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorData;
import org.tsumugi.engine.io.TensorInfo;
import org.tsumugi.engine.io.TensorSource;
import org.tsumugi.engine.optim.OptimizerState;
import org.tsumugi.engine.optim.StateTensor;

/**
 * Everything a run needs to continue bit-exactly from between two optimizer steps, as one safetensors file (Tsumugi's
 * own layout; the reference saves accelerate pickles instead, reference/training.md §5.3):
 *
 * <ul>
 *   <li>{@code lora.<key>} F32: every trainable LoRA tensor under its file key
 *       ({@code lora.lora_unet_blocks_0_self_attn_q.lora_down.weight});</li>
 *   <li>{@code optimizer.<name>} F32 (U8 for 8-bit codes): every optimizer state tensor
 *       ({@code optimizer.<key>.exp_avg}, ...), and {@code optimizer_scalar.<name>} F64 []: its counters and
 *       estimates (Prodigy's d, schedule-free weight sums, ...);</li>
 *   <li>{@code state.global_step} I64 []: optimizer updates done (= the LR scheduler's position);
 *       {@code state.micro_step}: micro-batches done (the key of every random draw); {@code state.epoch} and
 *       {@code state.batch_index}: the data cursor, 0-based, of the next micro-batch (a batch index equal to the
 *       epoch's batch count means the epoch's batches are done but its end — epoch saves — is still to come);
 *       {@code state.pool_position}: the trainer-side timestep pool; {@code state.seed}: the run's seed;</li>
 *   <li>{@code loss_recorder.losses} F64 [n] and {@code loss_recorder.total} F64 []: the moving-average window of the
 *       logged loss (reference/training.md §6);</li>
 *   <li>{@code __metadata__}: {@code tsumugi.state.format} = "1" and {@code tsumugi.state.config_sha256}, the hash of
 *       the run's resolved options, so a state is never resumed under other options.</li>
 * </ul>
 */
public record TrainingState(Counters counters, String configSha256, List<Tensor> lora, OptimizerState optimizer,
    double[] lossHistory, double lossTotal) {

  public static final String FORMAT = "1";
  static final String FORMAT_KEY = "tsumugi.state.format";
  static final String CONFIG_KEY = "tsumugi.state.config_sha256";

  /**
   * The run's position between two steps.
   *
   * @param epoch 0-based epoch of the next micro-batch
   * @param batchIndex 0-based index of the next micro-batch within that epoch
   */
  public record Counters(long globalStep, long microStep, int epoch, int batchIndex, long poolPosition, long seed) {}

  /** A float32 tensor by name, row-major. */
  public record Tensor(String name, long[] shape, float[] values) {}

  public TrainingState {
    lora = List.copyOf(lora);
    // The file keeps one count for both (state.global_step), so they must agree to read back as written.
    if (optimizer.steps() != counters.globalStep()) {
      throw new IllegalArgumentException("the optimizer has done " + optimizer.steps() + " updates but global_step is "
          + counters.globalStep());
    }
  }

  /** The file's bytes (small states only: up to 2 GiB). */
  public byte[] toBytes() throws IOException {
    return SafetensorsWriter.serialize(metadata(), tensors());
  }

  /** The file's {@code __metadata__}. */
  public Map<String, String> metadata() {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(FORMAT_KEY, FORMAT);
    metadata.put(CONFIG_KEY, configSha256);
    return metadata;
  }

  /** The file's tensors, each converted when a writer asks for it. */
  public List<TensorSource> tensors() {
    List<TensorSource> tensors = new ArrayList<>();
    for (Tensor t : lora) {
      tensors.add(ComputedTensor.ofFloats("lora." + t.name(), t.shape(), DType.F32, t::values));
    }
    optimizer.tensors().forEach((name, t) -> tensors.add(optimizerTensor("optimizer." + name, t)));
    optimizer.scalars().forEach((name, v) ->
        tensors.add(doubles("optimizer_scalar." + name, new double[] {v}, new long[0])));
    scalar(tensors, "global_step", counters.globalStep());
    scalar(tensors, "micro_step", counters.microStep());
    scalar(tensors, "epoch", counters.epoch());
    scalar(tensors, "batch_index", counters.batchIndex());
    scalar(tensors, "pool_position", counters.poolPosition());
    scalar(tensors, "seed", counters.seed());
    tensors.add(doubles("loss_recorder.losses", lossHistory, new long[] {lossHistory.length}));
    tensors.add(doubles("loss_recorder.total", new double[] {lossTotal}, new long[0]));
    return tensors;
  }

  /**
   * Reads a state file (which the caller has verified against its recorded hash).
   *
   * @throws TrainingStateException naming the file and what is missing or wrong: not safetensors, not this format,
   *     a tensor missing or of another type or shape
   */
  public static TrainingState read(Path file) throws IOException {
    try (SafetensorsFile f = open(file)) {
      String format = f.metadata().get(FORMAT_KEY);
      if (!FORMAT.equals(format)) {
        throw new TrainingStateException(file, "is not a Tsumugi training state of format " + FORMAT
            + " (its " + FORMAT_KEY + " is " + format + ")");
      }
      String configSha256 = f.metadata().get(CONFIG_KEY);
      if (configSha256 == null) {
        throw new TrainingStateException(file, "has no " + CONFIG_KEY + " in its metadata, so the options it was"
            + " saved under are unknown");
      }
      List<Tensor> lora = new ArrayList<>();
      Map<String, StateTensor> optimizerTensors = new LinkedHashMap<>();
      Map<String, Double> optimizerScalars = new LinkedHashMap<>();
      for (TensorInfo info : f.tensors()) {
        readWeightOrOptimizer(f, info, lora, optimizerTensors, optimizerScalars);
      }
      Counters counters = new Counters(counter(f, "global_step"), counter(f, "micro_step"),
          Math.toIntExact(counter(f, "epoch")), Math.toIntExact(counter(f, "batch_index")),
          counter(f, "pool_position"), counter(f, "seed"));
      OptimizerState optimizer = new OptimizerState(optimizerTensors, optimizerScalars, counters.globalStep());
      return new TrainingState(counters, configSha256, lora, optimizer,
          readDoubles(f, "loss_recorder.losses", 1), readDoubles(f, "loss_recorder.total", 0)[0]);
    }
  }

  private static void readWeightOrOptimizer(SafetensorsFile f, TensorInfo info, List<Tensor> lora,
      Map<String, StateTensor> optimizerTensors, Map<String, Double> optimizerScalars) {
    String name = info.name();
    if (name.startsWith("lora.")) {
      expect(f, info, -1, DType.F32);
      lora.add(new Tensor(name.substring(5), info.shape(), f.readFloats(name)));
    } else if (name.startsWith("optimizer.")) {
      expect(f, info, -1, DType.F32, DType.U8);
      optimizerTensors.put(name.substring(10), info.dtype() == DType.U8
          ? new StateTensor.Bytes(info.shape(), bytes(f, name))
          : new StateTensor.Floats(info.shape(), f.readFloats(name)));
    } else if (name.startsWith("optimizer_scalar.")) {
      optimizerScalars.put(name.substring(17), readDoubles(f, name, 0)[0]);
    }
  }

  /** The LoRA values by file key. */
  public Map<String, float[]> loraValues() {
    Map<String, float[]> out = new LinkedHashMap<>();
    lora.forEach(t -> out.put(t.name(), t.values()));
    return out;
  }

  private static TensorSource optimizerTensor(String name, StateTensor t) {
    if (t instanceof StateTensor.Bytes b) {
      return new TensorData(name, DType.U8, b.shape(), ByteBuffer.wrap(b.values()));
    }
    return ComputedTensor.ofFloats(name, t.shape(), DType.F32, ((StateTensor.Floats) t)::values);
  }

  private static byte[] bytes(SafetensorsFile f, String name) {
    ByteBuffer raw = f.rawBytes(name);
    byte[] out = new byte[raw.remaining()];
    raw.get(out);
    return out;
  }

  private static void scalar(List<TensorSource> tensors, String name, long value) {
    tensors.add(TensorData.fromLongs("state." + name, new long[] {value}, new long[0], DType.I64));
  }

  private static TensorData doubles(String name, double[] values, long[] shape) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      bytes.putDouble(v);
    }
    return new TensorData(name, DType.F64, shape, bytes.rewind());
  }

  private static SafetensorsFile open(Path file) throws IOException {
    try {
      return SafetensorsFile.open(file);
    } catch (SafetensorsFormatException e) {
      throw new TrainingStateException(file, "is not a Tsumugi training state: " + e.getMessage(), e);
    }
  }

  private static long counter(SafetensorsFile f, String name) {
    TensorInfo info = required(f, "state." + name);
    expect(f, info, 0, DType.I64);
    return f.readLongs(info.name())[0];
  }

  /** A F64 tensor of the given rank (0 = one value). */
  private static double[] readDoubles(SafetensorsFile f, String name, int rank) {
    TensorInfo info = required(f, name);
    expect(f, info, rank, DType.F64);
    ByteBuffer bytes = f.rawBytes(name).order(ByteOrder.LITTLE_ENDIAN);
    double[] out = new double[bytes.remaining() / 8];
    bytes.asDoubleBuffer().get(out);
    return out;
  }

  private static TensorInfo required(SafetensorsFile f, String name) {
    return f.find(name).orElseThrow(() -> new TrainingStateException(f.path(), "has no tensor " + name
        + "; a training state of format " + FORMAT + " holds state.*, lora.*, optimizer.* and loss_recorder.*"));
  }

  /** Refuses a tensor of another dtype, or of another rank when {@code rank} ≥ 0. */
  private static void expect(SafetensorsFile f, TensorInfo info, int rank, DType... dtypes) {
    boolean typeOk = List.of(dtypes).contains(info.dtype());
    if (!typeOk || (rank >= 0 && info.shape().length != rank)) {
      throw new TrainingStateException(f.path(), "has tensor " + info.name() + " as " + info.dtype() + " "
          + Arrays.toString(info.shape()) + "; a training state of format " + FORMAT + " holds it as "
          + List.of(dtypes) + (rank == 0 ? " with shape []" : rank > 0 ? " of rank " + rank : ""));
    }
  }
}
