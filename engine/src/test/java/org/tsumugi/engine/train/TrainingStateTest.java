package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsFile;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorData;
import org.tsumugi.engine.io.TensorInfo;
import org.tsumugi.engine.optim.OptimizerState;
import org.tsumugi.engine.optim.StateTensor;

/**
 * The training state file: everything written reads back bit for bit, in the documented layout, and a file that is
 * not such a state (or lacks a part of one) is refused with a TrainingStateException naming the file and the tensor.
 */
class TrainingStateTest {
  private static final String CONFIG_SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @TempDir
  Path dir;

  /** A state with edge values everywhere: NaN payloads, −0, subnormals, every byte value, counters past 2^31. */
  static TrainingState sample() {
    float[] down = new float[2 * 3];
    float[] special = {Float.intBitsToFloat(0x7fc00123), -0f, Float.MIN_VALUE, Float.MAX_VALUE, -1.5e-38f, 1f / 3};
    System.arraycopy(special, 0, down, 0, down.length);
    float[] up = {0.25f, -0.125f, 3e-7f, 1e20f, -7f, 0.1f};
    byte[] codes = new byte[256];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = (byte) i;
    }
    Map<String, StateTensor> tensors = new LinkedHashMap<>();
    tensors.put("lora_unet_blocks_0_ffn_0.lora_up.weight.state1", new StateTensor.Bytes(new long[] {16, 16}, codes));
    tensors.put("lora_unet_blocks_0_ffn_0.lora_up.weight.absmax1", new StateTensor.Floats(new long[] {1},
        new float[] {0.031f}));
    tensors.put("lora_unet_blocks_0_ffn_0.lora_down.weight.exp_avg", new StateTensor.Floats(new long[] {2, 3},
        up.clone()));
    tensors.put("lora_unet_blocks_0_ffn_0.lora_down.weight.scalar", new StateTensor.Floats(new long[0],
        new float[] {-2.5f}));
    Map<String, Double> scalars = new LinkedHashMap<>();
    scalars.put("d", 1.0000000000000002e-6);
    scalars.put("group0.weight_sum", -0.0);
    scalars.put("group0.train_mode", 1.0);
    scalars.put("tiny", Double.MIN_VALUE);
    long globalStep = 3_000_000_000L;
    TrainingState.Counters counters = new TrainingState.Counters(globalStep, 6_000_000_001L, 41, 17, 123_456_789_012L,
        4_294_967_296L);
    List<TrainingState.Tensor> lora = List.of(
        new TrainingState.Tensor("lora_unet_blocks_0_ffn_0.lora_down.weight", new long[] {2, 3}, down),
        new TrainingState.Tensor("lora_unet_blocks_0_ffn_0.lora_up.weight", new long[] {3, 2}, up));
    return new TrainingState(counters, CONFIG_SHA, lora, new OptimizerState(tensors, scalars, globalStep),
        new double[] {0.5, Double.longBitsToDouble(0x7ff8000000000abcL), 1e-300, -0.0}, 12.375);
  }

  @Test
  void roundTripsEveryPartBitForBit() throws IOException {
    TrainingState written = sample();
    TrainingState read = TrainingState.read(Files.write(dir.resolve("state.safetensors"), written.toBytes()));
    assertSameState(written, read);
    assertArrayEquals(written.toBytes(), read.toBytes(), "written again: the same bytes");
  }

  @Test
  void fileHasTheDocumentedLayout() throws IOException {
    Path file = Files.write(dir.resolve("state.safetensors"), sample().toBytes());
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertEquals(Map.of("tsumugi.state.format", "1", "tsumugi.state.config_sha256", CONFIG_SHA), f.metadata());
      assertTensor(f, "lora.lora_unet_blocks_0_ffn_0.lora_down.weight", DType.F32, 2, 3);
      assertTensor(f, "optimizer.lora_unet_blocks_0_ffn_0.lora_up.weight.state1", DType.U8, 16, 16);
      assertTensor(f, "optimizer.lora_unet_blocks_0_ffn_0.lora_down.weight.exp_avg", DType.F32, 2, 3);
      assertTensor(f, "optimizer_scalar.d", DType.F64);
      for (String counter : List.of("global_step", "micro_step", "epoch", "batch_index", "pool_position", "seed")) {
        assertTensor(f, "state." + counter, DType.I64);
      }
      assertEquals(3_000_000_000L, f.readLongs("state.global_step")[0]);
      assertEquals(4_294_967_296L, f.readLongs("state.seed")[0]);
      assertTensor(f, "loss_recorder.losses", DType.F64, 4);
      assertTensor(f, "loss_recorder.total", DType.F64);
      assertEquals(6 + 4 + 4 + 2 + 2, f.tensors().size(), "no other tensors");
    }
  }

  @Test
  void refusesALoraFile() throws IOException {
    Path file = dir.resolve("my-lora.safetensors");
    SafetensorsWriter.write(file, Map.of("ss_network_dim", "4"), List.of(TensorData.fromFloats(
        "lora_unet_blocks_0_ffn_0.alpha", new float[] {4}, new long[0], DType.F32)));
    TrainingStateException e = assertThrows(TrainingStateException.class, () -> TrainingState.read(file));
    assertEquals(file, e.file());
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("tsumugi.state.format is null"),
        e.getMessage());
  }

  @Test
  void refusesAFileThatIsNotSafetensors() throws IOException {
    Path file = Files.writeString(dir.resolve("notes.txt"), "step 1200, loss 0.07 -- not a training state");
    TrainingStateException e = assertThrows(TrainingStateException.class, () -> TrainingState.read(file));
    assertEquals(file, e.file());
    assertTrue(e.getMessage().startsWith(file + " is not a Tsumugi training state"), e.getMessage());
  }

  @Test
  void refusesAStateWithoutItsConfigHash() throws IOException {
    Path file = rewritten(tensors -> tensors, Map.of("tsumugi.state.format", "1"));
    TrainingStateException e = assertThrows(TrainingStateException.class, () -> TrainingState.read(file));
    assertTrue(e.getMessage().contains("tsumugi.state.config_sha256"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"state.global_step", "state.micro_step", "state.epoch", "state.batch_index",
      "state.pool_position", "state.seed", "loss_recorder.losses", "loss_recorder.total"})
  void refusesAStateMissingATensor(String missing) throws IOException {
    Path file = rewritten(tensors -> {
      tensors.removeIf(t -> t.name().equals(missing));
      return tensors;
    }, null);
    TrainingStateException e = assertThrows(TrainingStateException.class, () -> TrainingState.read(file));
    assertEquals(file, e.file());
    assertTrue(e.getMessage().startsWith(file + " has no tensor " + missing + ";"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"state.micro_step", "loss_recorder.total", "optimizer_scalar.d",
      "lora.lora_unet_blocks_0_ffn_0.lora_up.weight"})
  void refusesATensorOfAnotherType(String name) throws IOException {
    // Stored as I32 (a counter as 32 bits, a float as integers): read as the expected type it would be garbage.
    Path file = rewritten(tensors -> {
      List<TensorData> out = new ArrayList<>();
      for (TensorData t : tensors) {
        out.add(t.name().equals(name) ? TensorData.fromLongs(name, new long[(int) Arrays.stream(t.shape()).reduce(1, (a, b) -> a * b)], t.shape(),
            DType.I32) : t);
      }
      return out;
    }, null);
    TrainingStateException e = assertThrows(TrainingStateException.class, () -> TrainingState.read(file));
    assertTrue(e.getMessage().startsWith(file + " has tensor " + name + " as I32"), e.getMessage());
  }

  @Test
  void refusesAnOptimizerWhoseStepsDifferFromTheGlobalStep() {
    TrainingState s = sample();
    OptimizerState behind = new OptimizerState(s.optimizer().tensors(), s.optimizer().scalars(), 2);
    assertThrows(IllegalArgumentException.class, () -> new TrainingState(s.counters(), CONFIG_SHA, s.lora(), behind,
        s.lossHistory(), s.lossTotal()));
  }

  static void assertSameState(TrainingState expected, TrainingState actual) {
    assertEquals(expected.counters(), actual.counters());
    assertEquals(expected.configSha256(), actual.configSha256());
    Map<String, TrainingState.Tensor> lora = new LinkedHashMap<>();
    actual.lora().forEach(t -> lora.put(t.name(), t));
    assertEquals(expected.lora().size(), lora.size(), "LoRA tensors");
    for (TrainingState.Tensor e : expected.lora()) {
      TrainingState.Tensor a = lora.get(e.name());
      assertArrayEquals(e.shape(), a.shape(), e.name());
      assertArrayEquals(bits(e.values()), bits(a.values()), e.name());
    }
    assertSameOptimizer(expected.optimizer(), actual.optimizer());
    assertArrayEquals(bits(expected.lossHistory()), bits(actual.lossHistory()), "loss history");
    assertEquals(Double.doubleToRawLongBits(expected.lossTotal()), Double.doubleToRawLongBits(actual.lossTotal()));
  }

  static void assertSameOptimizer(OptimizerState expected, OptimizerState actual) {
    assertEquals(expected.steps(), actual.steps(), "optimizer steps");
    assertEquals(expected.scalars().keySet(), actual.scalars().keySet());
    expected.scalars().forEach((k, v) -> assertEquals(Double.doubleToRawLongBits(v),
        Double.doubleToRawLongBits(actual.scalars().get(k)), "optimizer scalar " + k));
    assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
    expected.tensors().forEach((k, e) -> {
      StateTensor a = actual.tensors().get(k);
      assertArrayEquals(e.shape(), a.shape(), k);
      assertEquals(e.getClass(), a.getClass(), k + ": float32 or uint8");
      if (e instanceof StateTensor.Bytes b) {
        assertArrayEquals(b.values(), ((StateTensor.Bytes) a).values(), k);
      } else {
        assertArrayEquals(bits(((StateTensor.Floats) e).values()), bits(((StateTensor.Floats) a).values()), k);
      }
    });
  }

  /** The sample state's file rebuilt with its tensor list edited (metadata replaced when given). */
  private Path rewritten(UnaryOperator<List<TensorData>> edit, Map<String, String> metadata) throws IOException {
    Path original = Files.write(dir.resolve("original.safetensors"), sample().toBytes());
    Path file = dir.resolve("edited.safetensors");
    try (SafetensorsFile f = SafetensorsFile.open(original)) {
      List<TensorData> tensors = new ArrayList<>();
      for (TensorInfo info : f.tensors()) {
        tensors.add(f.tensorData(info.name()));
      }
      Files.write(file, SafetensorsWriter.serialize(metadata == null ? f.metadata() : metadata, edit.apply(tensors)));
    }
    return file;
  }

  private static void assertTensor(SafetensorsFile f, String name, DType dtype, long... shape) {
    TensorInfo info = f.find(name).orElseThrow(() -> new AssertionError("no tensor " + name));
    assertEquals(dtype, info.dtype(), name);
    assertArrayEquals(shape, info.shape(), name);
  }

  private static int[] bits(float[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Float.floatToRawIntBits(values[i]);
    }
    return out;
  }

  private static long[] bits(double[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Double.doubleToRawLongBits(values[i]);
    }
    return out;
  }
}
