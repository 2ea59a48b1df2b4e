package org.tsumugi.engine.ema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsFile;
import org.tsumugi.engine.io.TensorInfo;

/** The four reference merges of post-hoc-ema/ reproduced: bf16 byte for byte, f32 to 1e-6, hashes equal. */
class PostHocEmaGoldenTest {
  @TempDir Path dir;

  @Test
  void reproducesEveryGoldenMerge() throws IOException {
    List<Path> inputs = GoldenEma.copyInputs(dir);
    List<GoldenEma.Case> cases = GoldenEma.cases();
    assertEquals(4, cases.size());
    for (GoldenEma.Case c : cases) {
      Path output = dir.resolve("out_" + c.name() + ".safetensors");
      PostHocEmaMerge.Result result = PostHocEmaMerge.merge(inputs, c.settings(), output);
      assertEquals(c.inputOrder(), result.order().stream().map(p -> p.getFileName().toString()).toList(), c.name());
      assertEquals(c.modelHash(), result.hashes().modelHash(), c.name());
      assertEquals(c.legacyHash(), result.hashes().legacyHash(), c.name());
      if (result.schedule() instanceof EmaSchedule.PowerFunction p) {
        assertEquals(c.gamma(), p.gamma(), 1e-12, c.name());
      }
      assertSameTensors(GoldenEma.dir().resolve(c.output()), output, c.name());
    }
  }

  private static void assertSameTensors(Path expectedFile, Path actualFile, String name) throws IOException {
    try (SafetensorsFile expected = SafetensorsFile.open(expectedFile);
        SafetensorsFile actual = SafetensorsFile.open(actualFile)) {
      assertEquals(expected.metadata(), actual.metadata(), name + " metadata");
      assertEquals(expected.tensors(), actual.tensors(), name + " layout");
      for (TensorInfo t : expected.tensors()) {
        String where = name + " " + t.name();
        if (t.dtype() == DType.F32) {
          float[] e = expected.readFloats(t.name());
          float[] a = actual.readFloats(t.name());
          for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-6, where + "[" + i + "]");
          }
        } else {
          assertEquals(expected.rawBytes(t.name()), actual.rawBytes(t.name()), where + " bytes");
        }
      }
    }
  }

  @Test
  void everyMergeIsByteIdenticalToTheReferenceFile() throws IOException {
    // stronger than the README's tolerance: the float32 arithmetic is the reference's, operation for operation
    List<Path> inputs = GoldenEma.copyInputs(dir);
    for (GoldenEma.Case c : GoldenEma.cases()) {
      Path output = dir.resolve("exact_" + c.name() + ".safetensors");
      PostHocEmaMerge.merge(inputs, c.settings(), output);
      assertArrayEquals(Files.readAllBytes(GoldenEma.dir().resolve(c.output())), Files.readAllBytes(output), c.name());
    }
  }
}
