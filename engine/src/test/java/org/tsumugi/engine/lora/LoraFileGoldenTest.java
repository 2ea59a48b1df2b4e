package org.tsumugi.engine.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.engine.Golden;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsFile;
import org.tsumugi.engine.io.SafetensorsHashes;
import org.tsumugi.engine.model.wan.WanCheckpoint;
import org.tsumugi.engine.model.wan.WanLoraTargets;
import org.tsumugi.engine.model.wan.WanModel;

/** A LoRA saved in bfloat16 is the file the reference's save routine writes (golden/wan21-tiny). */
class LoraFileGoldenTest {

  @Test
  void bf16SaveHasTheReferencesDataBytesAndHashes(@TempDir Path dir) throws IOException {
    Path reference = Golden.file("wan21-tiny/lora_saved_bf16.safetensors");
    Map<String, String> metadata = new LinkedHashMap<>();
    try (SafetensorsFile ref = SafetensorsFile.open(reference)) {
      ref.metadata().forEach((k, v) -> {
        if (!k.startsWith("sshs_")) {
          metadata.put(k, v);
        }
      });
    }
    try (NDManager m = NDManager.newBaseManager();
        WanCheckpoint ckpt = WanCheckpoint.open(Golden.file("wan21-tiny/model.safetensors"),
            org.tsumugi.engine.model.wan.WanGoldenTestConfig.TINY)) {
      WanModel model = ckpt.load(m);
      LoraNetwork lora = LoraFile.read(Golden.file("wan21-tiny/lora.safetensors"), WanLoraTargets.of(model.weights()), m);
      Path saved = dir.resolve("saved.safetensors");
      SafetensorsHashes hashes = LoraFile.write(saved, lora, DType.BF16, metadata);

      try (SafetensorsFile ref = SafetensorsFile.open(reference); SafetensorsFile ours = SafetensorsFile.open(saved)) {
        assertEquals(ref.metadata().get("sshs_model_hash"), hashes.modelHash());
        assertEquals(ref.metadata().get("sshs_legacy_hash"), hashes.legacyHash());
        assertEquals(ref.metadata(), ours.metadata());
        byte[] refBytes = Files.readAllBytes(reference);
        byte[] ourBytes = Files.readAllBytes(saved);
        assertArrayEquals(Arrays.copyOfRange(refBytes, (int) ref.dataOffset(), refBytes.length),
            Arrays.copyOfRange(ourBytes, (int) ours.dataOffset(), ourBytes.length));
      }
    }
  }
}
