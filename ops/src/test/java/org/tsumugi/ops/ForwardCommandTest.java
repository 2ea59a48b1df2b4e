package org.tsumugi.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.engine.io.SafetensorsFile;
import picocli.CommandLine;

/** {@code tsumugi forward} run on the reference's tiny model, inputs and LoRA reproduces the reference's outputs. */
class ForwardCommandTest {

  private static Path golden(String name) {
    return Path.of(System.getProperty("tsumugi.golden")).resolve("wan21-tiny").resolve(name);
  }

  @Test
  void forwardWithLoraAndLossReproducesEveryReferenceOutput(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("out.safetensors");
    int code = Main.commandLine().execute("forward", "--dit", golden("model.safetensors").toString(),
        "--model_config", golden("config.json").toString(), "--inputs", golden("inputs.safetensors").toString(),
        "--lora", golden("lora.safetensors").toString(), "--loss", "--output", out.toString());
    assertEquals(0, code);
    try (SafetensorsFile ref = SafetensorsFile.open(golden("outputs.safetensors"));
        SafetensorsFile ours = SafetensorsFile.open(out)) {
      assertEquals(ref.tensors().size(), ours.tensors().size());
      for (var t : ref.tensors()) {
        assertClose(ref.readFloats(t.name()), ours.readFloats(t.name()), t.name());
      }
    }
  }

  @Test
  void missingInputTensorIsNamedAndExitsWithBadInput(@TempDir Path dir) {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("forward", "--dit", golden("model.safetensors").toString(),
        "--model_config", golden("config.json").toString(), "--inputs", golden("lora.safetensors").toString(),
        "--output", dir.resolve("o.safetensors").toString());
    assertEquals(2, code);
    assertTrue(err.toString().contains("missing input tensor noisy"), err.toString());
    assertTrue(Files.notExists(dir.resolve("o.safetensors")));
  }

  @Test
  void checkpointOfAnotherSizeIsRefusedWithTheKeyNamed(@TempDir Path dir) {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("forward", "--dit", golden("model.safetensors").toString(), "--task", "t2v-1.3B",
        "--inputs", golden("inputs.safetensors").toString(), "--output", dir.resolve("o.safetensors").toString());
    assertEquals(2, code);
    assertTrue(err.toString().contains("patch_embedding.weight has shape [64, 16, 1, 2, 2], expected [1536, 16, 1, 2, 2]"),
        err.toString());
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    double maxRef = 0;
    double maxDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      maxRef = Math.max(maxRef, Math.abs(expected[i]));
      maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(maxDiff <= 1e-4 * maxRef + 1e-6, what + ": max diff " + maxDiff + " (max ref " + maxRef + ")");
  }
}
