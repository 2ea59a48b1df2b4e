package org.tsumugi.actors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.tsumugi.persistence.checkpoint.StoredFile;

/**
 * Where a run's live EMA keeps its files: the EMA LoRA {@code {output_dir}/{output_name}-ema.safetensors} and the
 * running float32 averages {@code {output_dir}/.tsumugi/ema/{output_name}-ema-accumulator-NNNNNN.safetensors}
 * (NNNNNN = checkpoints folded in). Only the accumulator the journal records is ever read; any other file of that
 * name pattern, and the temporary files of an interrupted atomic write, are leftovers of a crash and are swept.
 */
record EmaFiles(Path outputDir, String outputName) {
  private static final int READ_BUFFER = 1 << 20;

  EmaFiles {
    outputDir = outputDir.toAbsolutePath().normalize();
    if (outputName.isEmpty() || outputName.contains("/") || outputName.contains("\\")) {
      throw new IllegalArgumentException("output_name must be a plain file name, got [" + outputName + "]");
    }
  }

  Path output() {
    return outputDir.resolve(outputName + "-ema.safetensors");
  }

  Path accumulatorDir() {
    return outputDir.resolve(EmaMerger.ACCUMULATOR_DIR);
  }

  /** The name of the accumulator holding {@code merged} checkpoints. */
  String accumulatorName(int merged) {
    return String.format("%s%06d.safetensors", accumulatorPrefix(), merged);
  }

  Path accumulator(String name) {
    return accumulatorDir().resolve(name);
  }

  /**
   * Deletes every accumulator but {@code keep} and the temporary files of interrupted writes (the atomic writer's
   * {@code .<name>.<random>.tmp}) of accumulators and of the EMA LoRA.
   */
  void sweep(Optional<String> keep) throws IOException {
    String prefix = accumulatorPrefix();
    deleteMatching(accumulatorDir(), name -> !keep.equals(Optional.of(name))
        && (name.startsWith(prefix) || isTemporary(name, prefix)));
    String output = output().getFileName().toString();
    deleteMatching(outputDir, name -> isTemporary(name, output + "."));
  }

  /** Size and SHA-256 of a file as it is on disk now. */
  static StoredFile describe(Path file) throws IOException {
    MessageDigest digest = sha256();
    ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
    long size = 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      int n;
      while ((n = channel.read(buffer)) >= 0) {
        size += n;
        buffer.flip();
        digest.update(buffer);
        buffer.clear();
      }
    }
    return new StoredFile(file, size, HexFormat.of().formatHex(digest.digest()));
  }

  private String accumulatorPrefix() {
    return outputName + "-ema-accumulator-";
  }

  private static boolean isTemporary(String name, String prefix) {
    return name.startsWith("." + prefix) && name.endsWith(".tmp");
  }

  private static void deleteMatching(Path dir, Predicate<String> doomed) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(p -> doomed.test(p.getFileName().toString())).toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    for (Path f : files) {
      Files.deleteIfExists(f);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
