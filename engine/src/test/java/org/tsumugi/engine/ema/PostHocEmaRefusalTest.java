package org.tsumugi.engine.ema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsFile;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorData;

/** Every refusal of the offline merge happens before anything is written. */
class PostHocEmaRefusalTest {
  private static final String ALPHA = "lora_unet_blocks_0_self_attn_q.alpha";
  private static final String DOWN = "lora_unet_blocks_0_self_attn_q.lora_down.weight";

  @TempDir Path dir;
  private List<Path> inputs;
  private Path output;

  @BeforeEach
  void copyInputs() throws IOException {
    inputs = GoldenEma.copyInputs(dir);
    output = dir.resolve("merged.safetensors");
  }

  /** A copy of ckpt_b with its tensors changed. */
  private Path variant(String name, UnaryOperator<List<TensorData>> change) throws IOException {
    Path file = dir.resolve(name + ".safetensors");
    try (SafetensorsFile f = SafetensorsFile.open(inputs.get(1))) {
      List<TensorData> tensors = new ArrayList<>(f.tensors().stream().map(t -> f.tensorData(t.name())).toList());
      SafetensorsWriter.write(file, f.metadata(), change.apply(tensors));
    }
    return file;
  }

  private static List<TensorData> replace(List<TensorData> tensors, TensorData replacement) {
    List<TensorData> out = new ArrayList<>(tensors);
    out.replaceAll(t -> t.name().equals(replacement.name()) ? replacement : t);
    return out;
  }

  private EmaMergeException assertRefused(List<Path> files, PostHocEmaSettings settings, String fragment)
      throws IOException {
    List<Path> before;
    try (Stream<Path> listing = Files.list(dir)) {
      before = listing.sorted().toList();
    }
    var e = assertThrows(EmaMergeException.class, () -> PostHocEmaMerge.merge(files, settings, output));
    assertTrue(e.getMessage().contains(fragment), () -> "expected \"" + fragment + "\" in: " + e.getMessage());
    try (Stream<Path> listing = Files.list(dir)) {
      assertEquals(before, listing.sorted().toList(), "nothing written");
    }
    return e;
  }

  @Test
  void refusesFewerThanTwoCheckpoints() throws IOException {
    assertRefused(List.of(inputs.get(0)), PostHocEmaSettings.defaults(), "at least 2 checkpoints, got 1");
  }

  @Test
  void refusesDifferingTensorNames() throws IOException {
    Path extra = variant("extra", t -> {
      List<TensorData> out = new ArrayList<>(t);
      out.add(TensorData.fromFloats("lora_unet_new.alpha", new float[] {1}, new long[] {}, DType.F32));
      return out;
    });
    assertRefused(List.of(inputs.get(0), extra), PostHocEmaSettings.defaults(), "lora_unet_new.alpha");
    Path missing = variant("missing", t -> t.stream().filter(x -> !x.name().equals(DOWN)).toList());
    assertRefused(List.of(inputs.get(0), missing), PostHocEmaSettings.defaults(), "lacks tensor \"" + DOWN + "\"");
  }

  @Test
  void refusesDifferingShapes() throws IOException {
    Path reshaped = variant("reshaped", t -> replace(t,
        TensorData.fromFloats(DOWN, new float[256], new long[] {8, 32}, DType.F32)));
    assertRefused(List.of(inputs.get(0), reshaped), PostHocEmaSettings.defaults(), "[4, 64]");
  }

  @Test
  void refusesAlphasThatDifferButAcceptsAlphasWithinTolerance() throws IOException {
    Path other = variant("alpha3", t -> replace(t, TensorData.fromFloats(ALPHA, new float[] {3}, new long[] {},
        DType.F32)));
    assertRefused(List.of(inputs.get(0), other), PostHocEmaSettings.defaults(), "alphas are never averaged");
    float alpha;
    try (SafetensorsFile f = SafetensorsFile.open(inputs.get(0))) {
      alpha = f.readFloats(ALPHA)[0];
    }
    float near = alpha * (1 + 5e-6f);
    Path close = variant("alphaClose", t -> replace(t, TensorData.fromFloats(ALPHA, new float[] {near},
        new long[] {}, DType.F32)));
    PostHocEmaSettings noSort = new PostHocEmaSettings(0.9, java.util.OptionalDouble.empty(),
        java.util.OptionalDouble.empty(), true);
    PostHocEmaMerge.merge(List.of(inputs.get(0), close), noSort, output);
    try (SafetensorsFile merged = SafetensorsFile.open(output)) {
      assertEquals(alpha, merged.readFloats(ALPHA)[0], 0f, "the first file's alpha is kept");
    }
  }

  @Test
  void refusesUnreadableOrCorruptCheckpoints() throws IOException {
    Path truncated = dir.resolve("truncated.safetensors");
    byte[] bytes = Files.readAllBytes(inputs.get(2));
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 10));
    PostHocEmaSettings noSort = new PostHocEmaSettings(0.9, java.util.OptionalDouble.empty(),
        java.util.OptionalDouble.empty(), true);
    assertRefused(List.of(inputs.get(0), truncated), noSort, "checkpoint 2 of 2 cannot be read");
    assertRefused(List.of(inputs.get(0), dir.resolve("absent.safetensors")), noSort, "absent.safetensors");
    assertRefused(List.of(inputs.get(0), dir.resolve("absent.safetensors")), PostHocEmaSettings.defaults(),
        "absent.safetensors");
  }

  @Test
  void refusesAnOutputThatIsAnInput() throws IOException {
    byte[] before = Files.readAllBytes(inputs.get(1));
    var e = assertThrows(EmaMergeException.class, () -> PostHocEmaMerge.merge(inputs, PostHocEmaSettings.defaults(),
        dir.resolve("sub").resolve("..").resolve(inputs.get(1).getFileName())));
    assertTrue(e.getMessage().contains("is also an input"), e::getMessage);
    assertEquals(Arrays.toString(before), Arrays.toString(Files.readAllBytes(inputs.get(1))));
  }

  @Test
  void refusesSigmaRelWithoutPositiveGamma() throws IOException {
    PostHocEmaSettings wide = new PostHocEmaSettings(0.95, java.util.OptionalDouble.empty(),
        java.util.OptionalDouble.of(0.3), false);
    assertRefused(inputs, wide, "sigma_rel 0.3 has no positive gamma");
  }
}
