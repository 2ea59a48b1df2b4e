package org.tsumugi.engine.io;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reference's {@code sshs_model_hash} and {@code sshs_legacy_hash} (reference/lora-and-ema.md §1.10), computed over
 * the bytes the safetensors library would produce for the tensors plus only the {@code ss_*} metadata: the model hash
 * is the SHA-256 of the data section, the legacy hash the first 8 hex digits of the SHA-256 of the 64 KiB at byte
 * offset 1 MiB of the whole buffer.
 */
public record SafetensorsHashes(String modelHash, String legacyHash) {
  public static final String MODEL_HASH_KEY = "sshs_model_hash";
  public static final String LEGACY_HASH_KEY = "sshs_legacy_hash";

  /** Streams over the tensors once; nothing the size of the file is built. */
  public static SafetensorsHashes of(Map<String, String> metadata, List<? extends TensorSource> tensors)
      throws IOException {
    SafetensorsLayout layout = layoutFor(metadata, tensors);
    HashStream hashes = new HashStream(layout.prefix());
    for (TensorSource t : layout.order()) {
      hashes.update(t.data());
    }
    return hashes.finish();
  }

  /** The layout of the buffer the hashes are taken over: tensors plus the {@code ss_*} metadata only. */
  static SafetensorsLayout layoutFor(Map<String, String> metadata, List<? extends TensorSource> tensors) {
    Map<String, String> hashed = new LinkedHashMap<>();
    metadata.forEach((k, v) -> {
      if (k.startsWith("ss_")) {
        hashed.put(k, v);
      }
    });
    return SafetensorsLayout.plan(Optional.of(hashed), tensors);
  }

  /** A copy of {@code metadata} with both hash keys set (kept in place when present, else appended). */
  public Map<String, String> applyTo(Map<String, String> metadata) {
    Map<String, String> out = new LinkedHashMap<>(metadata);
    out.put(MODEL_HASH_KEY, modelHash);
    out.put(LEGACY_HASH_KEY, legacyHash);
    return out;
  }
}
