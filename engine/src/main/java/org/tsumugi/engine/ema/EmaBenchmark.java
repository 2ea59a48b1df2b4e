package org.tsumugi.engine.ema;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorData;
import org.tsumugi.engine.io.TensorSource;

/**
 * Measures post-hoc EMA merging against the machine's sequential read rate on synthetic LoRA-shaped checkpoints
 * (per module: an F32 down [16, d], a BF16 up [d, 16] and a BF16 alpha), for {@code tsumugi bench ema}. The read pass
 * uses plain FileChannel reads right after writing, so it measures what the page cache and disk deliver ("cold-ish":
 * the cache is not dropped). Files it writes are deleted afterwards.
 */
public final class EmaBenchmark {
  private static final int RANK = 16;
  private static final int MAX_DIM = 4096;
  private static final int READ_BUFFER = 8 << 20;

  /**
   * @param inputBytes total size of the checkpoints
   * @param readGbPerSecond sequential read rate, 10^9 bytes per second
   * @param mergeGbPerSecond merge throughput in input bytes, 10^9 bytes per second
   */
  public record Report(int files, long inputBytes, Duration readTime, double readGbPerSecond, Duration mergeTime,
      double mergeGbPerSecond) {}

  private EmaBenchmark() {}

  public static Report run(Path workDir, int files, long bytesPerFile) throws IOException {
    if (files < 2 || bytesPerFile < 1) {
      throw new IllegalArgumentException("the benchmark needs at least 2 files of at least 1 byte, got " + files
          + " x " + bytesPerFile);
    }
    Files.createDirectories(workDir);
    List<Path> inputs = new ArrayList<>();
    Path output = workDir.resolve("ema-bench-merged.safetensors");
    try {
      for (int i = 0; i < files; i++) {
        inputs.add(writeCheckpoint(workDir.resolve(String.format("ema-bench-%04d.safetensors", i)), i, bytesPerFile));
      }
      long inputBytes = 0;
      for (Path p : inputs) {
        inputBytes += Files.size(p);
      }
      long start = System.nanoTime();
      for (Path p : inputs) {
        readSequentially(p);
      }
      Duration read = Duration.ofNanos(System.nanoTime() - start);
      start = System.nanoTime();
      PostHocEmaMerge.merge(inputs, new PostHocEmaSettings(0.95, OptionalDouble.empty(), OptionalDouble.empty(), true),
          output);
      Duration merge = Duration.ofNanos(System.nanoTime() - start);
      return new Report(files, inputBytes, read, rate(inputBytes, read), merge, rate(inputBytes, merge));
    } finally {
      for (Path p : inputs) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(output);
    }
  }

  private static Path writeCheckpoint(Path file, int index, long bytesPerFile) throws IOException {
    int dim = (int) Math.max(1, Math.min(MAX_DIM, bytesPerFile / (6L * RANK)));
    long modules = Math.max(1, bytesPerFile / (6L * RANK * dim));
    List<TensorSource> tensors = new ArrayList<>();
    for (long m = 0; m < modules; m++) {
      String name = "lora_unet_blocks_" + m + "_ffn_0";
      long seed = index * 1_000_003L + m;
      tensors.add(new Generated(name + ".lora_down.weight", DType.F32, new long[] {RANK, dim}, seed));
      tensors.add(new Generated(name + ".lora_up.weight", DType.BF16, new long[] {dim, RANK}, seed + 500_000L));
      tensors.add(new Generated(name + ".alpha", DType.BF16, new long[] {}, -1));
    }
    SafetensorsWriter.write(file, Map.of("ss_network_dim", Integer.toString(RANK)), tensors);
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L + 1000L * index));
    return file;
  }

  /** One tensor, made when the writer asks for it, so that writing a large checkpoint holds one tensor at a time. */
  private record Generated(String name, DType dtype, long[] shape, long seed) implements TensorSource {
    @Override
    public ByteBuffer data() {
      int n = (int) java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact);
      float[] values = seed < 0 ? new float[] {RANK} : gaussian(new SplittableRandom(seed), n);
      return TensorData.fromFloats(name, values, shape, dtype).data();
    }
  }

  private static float[] gaussian(SplittableRandom random, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (random.nextDouble() - 0.5) * 0.02f;
    }
    return out;
  }

  private static void readSequentially(Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (channel.read(buffer) >= 0) {
        buffer.clear();
      }
    }
  }

  private static double rate(long bytes, Duration time) {
    return bytes / 1e9 / Math.max(time.toNanos() / 1e9, 1e-9);
  }
}
