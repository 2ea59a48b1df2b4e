package org.tsumugi.engine.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsFile;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorData;
import org.tsumugi.engine.io.TensorInfo;
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
  }

  /** The file's bytes (small states only: up to 2 GiB). */
  public byte[] toBytes() throws IOException {
    List<TensorData> tensors = new ArrayList<>();
    for (Tensor t : lora) {
      tensors.add(TensorData.fromFloats("lora." + t.name(), t.values(), t.shape(), DType.F32));
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
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(FORMAT_KEY, FORMAT);
    metadata.put(CONFIG_KEY, configSha256);
    return SafetensorsWriter.serialize(metadata, tensors);
  }

  /**
   * Reads a state file (which the caller has verified against its recorded hash).
   *
   * @throws TrainingStateException naming the file and what is missing or wrong
   */
  public static TrainingState read(Path file) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      String format = f.metadata().get(FORMAT_KEY);
      if (!FORMAT.equals(format)) {
        throw new TrainingStateException(file, "is not a Tsumugi training state of format " + FORMAT
            + " (its " + FORMAT_KEY + " is " + format + ")");
      }
      List<Tensor> lora = new ArrayList<>();
      Map<String, StateTensor> optimizerTensors = new LinkedHashMap<>();
      Map<String, Double> optimizerScalars = new LinkedHashMap<>();
      for (TensorInfo info : f.tensors()) {
        if (info.name().startsWith("lora.")) {
          lora.add(new Tensor(info.name().substring(5), info.shape(), f.readFloats(info.name())));
        } else if (info.name().startsWith("optimizer.")) {
          optimizerTensors.put(info.name().substring(10), info.dtype() == DType.U8
              ? new StateTensor.Bytes(info.shape(), bytes(f, info.name()))
              : new StateTensor.Floats(info.shape(), f.readFloats(info.name())));
        } else if (info.name().startsWith("optimizer_scalar.")) {
          optimizerScalars.put(info.name().substring(17), readDoubles(f, info.name())[0]);
        }
      }
      Counters counters = new Counters(counter(f, "global_step"), counter(f, "micro_step"),
          Math.toIntExact(counter(f, "epoch")), Math.toIntExact(counter(f, "batch_index")),
          counter(f, "pool_position"), counter(f, "seed"));
      OptimizerState optimizer = new OptimizerState(optimizerTensors, optimizerScalars, counters.globalStep());
      return new TrainingState(counters, f.metadata().getOrDefault(CONFIG_KEY, ""), lora, optimizer,
          readDoubles(f, "loss_recorder.losses"), readDoubles(f, "loss_recorder.total")[0]);
    }
  }

  /** The LoRA values by file key. */
  public Map<String, float[]> loraValues() {
    Map<String, float[]> out = new LinkedHashMap<>();
    lora.forEach(t -> out.put(t.name(), t.values()));
    return out;
  }

  private static TensorData optimizerTensor(String name, StateTensor t) {
    if (t instanceof StateTensor.Bytes b) {
      return new TensorData(name, DType.U8, b.shape(), ByteBuffer.wrap(b.values()));
    }
    return TensorData.fromFloats(name, ((StateTensor.Floats) t).values(), t.shape(), DType.F32);
  }

  private static byte[] bytes(SafetensorsFile f, String name) {
    ByteBuffer raw = f.rawBytes(name);
    byte[] out = new byte[raw.remaining()];
    raw.get(out);
    return out;
  }

  private static void scalar(List<TensorData> tensors, String name, long value) {
    tensors.add(TensorData.fromLongs("state." + name, new long[] {value}, new long[0], DType.I64));
  }

  private static TensorData doubles(String name, double[] values, long[] shape) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      bytes.putDouble(v);
    }
    return new TensorData(name, DType.F64, shape, bytes.rewind());
  }

  private static long counter(SafetensorsFile f, String name) {
    long[] values = f.readLongs(required(f, "state." + name));
    return values[0];
  }

  private static double[] readDoubles(SafetensorsFile f, String name) {
    ByteBuffer bytes = f.rawBytes(required(f, name)).order(ByteOrder.LITTLE_ENDIAN);
    double[] out = new double[bytes.remaining() / 8];
    bytes.asDoubleBuffer().get(out);
    return out;
  }

  private static String required(SafetensorsFile f, String name) {
    if (f.find(name).isEmpty()) {
      throw new TrainingStateException(f.path(), "has no tensor " + name + "; a training state of format " + FORMAT
          + " holds state.*, lora.*, optimizer.* and loss_recorder.*");
    }
    return name;
  }
}
