package org.tsumugi.actors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorData;

/**
 * Small Wan-style LoRA checkpoints with random weights, written as the trainer saves them (reference keys, an alpha
 * per module, sshs hashes in the metadata), named {@code {output_name}-step{step:08d}.safetensors}.
 */
final class LoraCheckpoints {
  static final String[] MODULES = {"lora_unet_blocks_0_self_attn_q", "lora_unet_blocks_0_ffn_0"};
  static final int IN = 8;
  static final int OUT = 6;

  /** Tensor dtypes of one run's saves. */
  enum Precision {
    BF16(DType.BF16, DType.BF16, DType.BF16),
    F32(DType.F32, DType.F32, DType.F32),
    /** A float32 down projection next to bfloat16 up and alpha. */
    MIXED(DType.F32, DType.BF16, DType.BF16);

    final DType down;
    final DType up;
    final DType alpha;

    Precision(DType down, DType up, DType alpha) {
      this.down = down;
      this.up = up;
      this.alpha = alpha;
    }
  }

  private LoraCheckpoints() {}

  static long step(int index) {
    return 10L * (index + 1);
  }

  /** {@code count} checkpoints of rank 4 at steps 10, 20, ... */
  static List<Path> write(Path dir, String outputName, int count, Precision precision, long seed)
      throws IOException {
    Files.createDirectories(dir);
    SplittableRandom random = new SplittableRandom(seed);
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path file = dir.resolve(String.format("%s-step%08d.safetensors", outputName, step(i)));
      write(file, step(i), 4, precision, random);
      files.add(file);
    }
    return files;
  }

  static void write(Path file, long step, int rank, Precision precision, SplittableRandom random)
      throws IOException {
    List<TensorData> tensors = new ArrayList<>();
    for (String module : MODULES) {
      tensors.add(TensorData.fromFloats(module + ".lora_down.weight", gaussian(random, rank * IN),
          new long[] {rank, IN}, precision.down));
      tensors.add(TensorData.fromFloats(module + ".lora_up.weight", gaussian(random, OUT * rank),
          new long[] {OUT, rank}, precision.up));
      tensors.add(TensorData.fromFloats(module + ".alpha", new float[] {2f}, new long[] {}, precision.alpha));
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("ss_network_module", "networks.lora_wan");
    metadata.put("ss_network_dim", Integer.toString(rank));
    metadata.put("ss_steps", Long.toString(step));
    metadata.put("modelspec.title", "ema-test");
    SafetensorsWriter.writeHashed(file, metadata, tensors);
  }

  private static float[] gaussian(SplittableRandom random, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) ((random.nextDouble() - 0.5) * 0.2);
    }
    return out;
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
