package org.tsumugi.ops.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code tsumugi} as a separate JVM on the test classpath, its output in a log file, for tests that kill it. */
final class TsumugiProcess {

  private TsumugiProcess() {}

  static Process start(Path workDir, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g", "-Dai.djl.offline=true", "-Djava.awt.headless=true",
        "-cp", System.getProperty("java.class.path"), "org.tsumugi.ops.Main"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }
}
