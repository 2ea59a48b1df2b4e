package org.tsumugi.ops.run;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

/** {@code tsumugi} as a separate JVM on the test classpath, its output in a log file, for tests that kill it. */
final class TsumugiProcess {

  private TsumugiProcess() {}

  static Process start(Path workDir, Path log, String... args) throws IOException {
    return start(workDir, log, command(args));
  }

  /**
   * {@code tsumugi} with every file it writes limited to {@code kib} KiB (the shell's {@code ulimit -f}): a write past
   * that fails with "File too large" (EFBIG), as a write on a full disk fails with ENOSPC. The JVM ignores the
   * SIGXFSZ that comes with it, so the write's IOException is what the process sees. Needs no privileges.
   */
  static Process startWithFileSizeLimit(Path workDir, Path log, long kib, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", "-c", "ulimit -f " + kib + " && exec \"$0\" \"$@\""));
    List<String> jvm = command(args);
    jvm.add(1, "-Djava.library.path=" + unpackRocksDb(workDir.resolve("native")) + File.pathSeparator
        + System.getProperty("java.library.path"));
    command.addAll(jvm);
    return start(workDir, log, command);
  }

  /**
   * RocksDB's JNI library unpacked into {@code dir}. Found on the library path, it is loaded from there; otherwise
   * RocksDB unpacks its 15 MB into the temporary directory on every start, which a file size limit forbids.
   */
  private static Path unpackRocksDb(Path dir) throws IOException {
    String file = Environment.getJniLibraryFileName("rocksdb");
    Files.createDirectories(dir);
    try (InputStream in = RocksDB.class.getClassLoader().getResourceAsStream(file)) {
      if (in == null) {
        throw new IOException("no " + file + " in the rocksdbjni jar for this platform");
      }
      Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    return dir;
  }

  private static List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g", "-Dai.djl.offline=true", "-Djava.awt.headless=true",
        "-cp", System.getProperty("java.class.path"), "org.tsumugi.ops.Main"));
    command.addAll(List.of(args));
    return command;
  }

  private static Process start(Path workDir, Path log, List<String> command) throws IOException {
    return new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }
}
