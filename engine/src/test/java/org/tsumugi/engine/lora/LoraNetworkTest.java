package org.tsumugi.engine.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.config.NetworkConfig;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsFile;
import org.tsumugi.engine.nn.LinearLayer;
import org.tsumugi.engine.optim.ParameterGroup;

/**
 * The adapter arithmetic of reference/lora-and-ema.md §1.5–1.8 on one small layer, checked against the formulas
 * computed here element by element.
 */
class LoraNetworkTest {

  private static final int IN = 3;
  private static final int OUT = 2;
  private static final int RANK = 2;

  private NDManager m;
  private LinearLayer layer;

  @BeforeEach
  void setUp() {
    m = NDManager.newBaseManager();
    layer = new LinearLayer("blocks.0.ffn.0", m.create(new float[] {1, 0, 2, -1, 1, 0}, new Shape(OUT, IN)),
        m.create(new float[] {0.5f, -0.5f}));
  }

  @AfterEach
  void tearDown() {
    m.close();
  }

  private static NetworkConfig config(OptionalDouble neuron, OptionalDouble rank, OptionalDouble module,
      OptionalDouble loraplus) {
    return new NetworkConfig(RANK, 1.0, neuron, rank, module, List.of(), List.of(), loraplus, Map.of(),
        Optional.empty());
  }

  /** A network on {@link #layer} with known down [[1,2,3],[0,1,0]] and up [[1,0],[0,2]]: scale = 1/2. */
  private LoraNetwork network(NetworkConfig c) {
    LoraNetwork net = LoraNetwork.create(new LoraTargets("networks.lora_wan", List.of(layer), List.of()), c, m, 1);
    LoraModule mod = net.modules().get(0);
    mod.down().set(new float[] {1, 2, 3, 0, 1, 0});
    mod.up().set(new float[] {1, 0, 0, 2});
    return net;
  }

  private static final float[] X = {1, 1, 1, 2, 0, -1}; // two rows [B=2, in=3]

  /** W x + b for the two rows of X. */
  private static float[][] base() {
    return new float[][] {{1 + 0 + 2 + 0.5f, -1 + 1 + 0 - 0.5f}, {2 + 0 - 2 + 0.5f, -2 + 0 + 0 - 0.5f}};
  }

  @Test
  void inferenceAddsUpDownTimesMultiplierTimesScale() {
    NDArray y = network(config(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
        OptionalDouble.empty())).inference(0.8f).apply(layer, m.create(X, new Shape(2, IN)));
    // down x: row0 = [6, 1], row1 = [-1, 0]; up(h) = [h0, 2 h1]; times 0.8 * 0.5
    float[][] b = base();
    float[] expected = {b[0][0] + 6 * 0.4f, b[0][1] + 2 * 0.4f, b[1][0] - 0.4f, b[1][1]};
    assertArrayEquals(expected, y.toFloatArray(), 1e-6f);
  }

  @Test
  void rankDropoutMasksChannelsPerSampleAndRescales() {
    float p = 0.25f;
    LoraNetwork net = network(config(OptionalDouble.empty(), OptionalDouble.of(p), OptionalDouble.empty(),
        OptionalDouble.empty()));
    // uniforms for the [B=2, r=2] mask: keep where u > p
    DropoutDraws draws = (index, kind, count) -> {
      assertEquals(DropoutDraws.Kind.RANK, kind);
      assertEquals(4, count);
      return new float[] {0.9f, 0.1f, 0.2f, 0.6f};
    };
    NDArray y = net.training(LoraDropout.of(config(OptionalDouble.empty(), OptionalDouble.of(p),
        OptionalDouble.empty(), OptionalDouble.empty())), draws).apply(layer, m.create(X, new Shape(2, IN)));
    float s = 0.5f / (1 - p);
    float[][] b = base();
    // row0 keeps channel 0 (h0 = 6), drops 1; row1 drops 0, keeps 1 (h1 = 0)
    float[] expected = {b[0][0] + 6 * s, b[0][1], b[1][0], b[1][1]};
    assertArrayEquals(expected, y.toFloatArray(), 1e-6f);
  }

  @Test
  void moduleDropoutSkipsTheWholeAdapter() {
    NetworkConfig c = config(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.of(0.5),
        OptionalDouble.empty());
    LoraNetwork net = network(c);
    NDArray dropped = net.training(LoraDropout.of(c), (i, k, n) -> new float[] {0.3f})
        .apply(layer, m.create(X, new Shape(2, IN)));
    float[][] b = base();
    assertArrayEquals(new float[] {b[0][0], b[0][1], b[1][0], b[1][1]}, dropped.toFloatArray(), 1e-6f);
    NDArray kept = net.training(LoraDropout.of(c), (i, k, n) -> new float[] {0.7f})
        .apply(layer, m.create(X, new Shape(2, IN)));
    assertEquals(b[0][0] + 3f, kept.toFloatArray()[0], 1e-6f);
  }

  @Test
  void neuronDropoutIsInvertedDropoutOnTheRankActivation() {
    NetworkConfig c = config(OptionalDouble.of(0.5), OptionalDouble.empty(), OptionalDouble.empty(),
        OptionalDouble.empty());
    NDArray y = network(c).training(LoraDropout.of(c), (i, k, n) -> new float[] {0.6f, 0.4f, 0.1f, 0.9f})
        .apply(layer, m.create(X, new Shape(2, IN)));
    // h = [[6, 1], [-1, 0]]; keep where u >= 0.5, kept units ×2: [[12, 0], [0, 0]]
    float[][] b = base();
    assertArrayEquals(new float[] {b[0][0] + 12 * 0.5f, b[0][1], b[1][0], b[1][1]}, y.toFloatArray(), 1e-6f);
  }

  @Test
  void loraPlusPutsUpWeightsInTheirOwnGroup() {
    List<ParameterGroup> groups = network(config(OptionalDouble.empty(), OptionalDouble.empty(),
        OptionalDouble.empty(), OptionalDouble.of(16))).parameterGroups(1e-4, OptionalDouble.of(16));
    assertEquals(2, groups.size());
    assertEquals("unet", groups.get(0).description());
    assertEquals(1e-4, groups.get(0).learningRate());
    assertTrue(groups.get(0).parameters().get(0).name().endsWith("lora_down.weight"));
    assertEquals("unet plus", groups.get(1).description());
    assertEquals(1.6e-3, groups.get(1).learningRate(), 1e-15);
    assertTrue(groups.get(1).parameters().get(0).name().endsWith("lora_up.weight"));
  }

  @Test
  void savePrecisionsCastEveryTensorIncludingAlpha(@TempDir Path dir) throws IOException {
    LoraNetwork net = network(config(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
        OptionalDouble.empty()));
    for (DType dtype : List.of(DType.F32, DType.F16, DType.BF16)) {
      Path file = dir.resolve(dtype + ".safetensors");
      LoraFile.write(file, net, dtype, Map.of("ss_network_dim", "2"));
      try (SafetensorsFile f = SafetensorsFile.open(file)) {
        assertEquals(3, f.tensors().size());
        f.tensors().forEach(t -> assertEquals(dtype, t.dtype(), t.name()));
        assertArrayEquals(new float[] {1, 2, 3, 0, 1, 0}, f.readFloats("lora_unet_blocks_0_ffn_0.lora_down.weight"));
        assertArrayEquals(new long[0], f.info("lora_unet_blocks_0_ffn_0.alpha").shape());
        assertTrue(f.metadata().containsKey("sshs_model_hash"));
      }
    }
  }

  @Test
  void networkWeightsAreCopiedInAndMisShapedOnesRefused(@TempDir Path dir) throws IOException {
    LoraNetwork saved = network(config(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
        OptionalDouble.empty()));
    Path file = dir.resolve("w.safetensors");
    LoraFile.write(file, saved, DType.F32, Map.of());
    LoraNetwork fresh = LoraNetwork.create(new LoraTargets("networks.lora_wan", List.of(layer), List.of()),
        config(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty()), m, 9);
    assertEquals(2, LoraFile.loadInto(fresh, file));
    assertArrayEquals(new float[] {1, 0, 0, 2}, fresh.modules().get(0).up().toFloatArray());

    NetworkConfig rank3 = new NetworkConfig(3, 1.0, OptionalDouble.empty(), OptionalDouble.empty(),
        OptionalDouble.empty(), List.of(), List.of(), OptionalDouble.empty(), Map.of(), Optional.empty());
    LoraNetwork other = LoraNetwork.create(new LoraTargets("networks.lora_wan", List.of(layer), List.of()), rank3, m, 9);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoraFile.loadInto(other, file));
    assertTrue(e.getMessage().contains("lora_unet_blocks_0_ffn_0.lora_"), e.getMessage());
  }
}
