package org.tsumugi.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.tsumugi.actors.run.RunDirectory;
import org.tsumugi.engine.train.TrainingState;

/** A run's saved files checked against its ledger, and what else lies in its output directory. */
final class SavedFiles {

  private SavedFiles() {}

  /**
   * Every checkpoint and state the ledger holds is on disk with the size and sha256 it recorded, and every state reads
   * back as a training state at its step.
   */
  static void assertIntact(RunLedger ledger) throws IOException {
    for (RunEvent e : ledger.files().values()) {
      if (e instanceof RunEvent.CheckpointSaved c) {
        assertRecorded(Path.of(c.path()), c.size(), c.sha256());
      } else if (e instanceof RunEvent.StateSaved s) {
        assertRecorded(Path.of(s.path()), s.size(), s.sha256());
        assertEquals(s.step(), TrainingState.read(Path.of(s.path())).counters().globalStep(), s.path());
      }
    }
  }

  private static void assertRecorded(Path file, long size, String sha256) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    assertEquals(size, bytes.length, "size of " + file);
    assertEquals(sha256, sha256(bytes), "sha256 of " + file);
  }

  /** The names directly in the output directory, without Tsumugi's own {@code .tsumugi}. */
  static SortedSet<String> names(RunDirectory dir) throws IOException {
    try (Stream<Path> list = Files.list(dir.outputDir())) {
      return list.map(p -> p.getFileName().toString()).filter(n -> !n.equals(RunDirectory.META))
          .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }

  /** Temporary files of unfinished writes anywhere in the output directory. */
  static List<Path> temporaryFiles(RunDirectory dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir.outputDir())) {
      return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
