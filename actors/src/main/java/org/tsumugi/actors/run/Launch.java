package org.tsumugi.actors.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tsumugi.persistence.checkpoint.AtomicFile;

/**
 * How a run was started, written once into its directory before the ledger is opened, so that {@code tsumugi resume}
 * rebuilds exactly the same run: the run file (a copy beside this file), the command-line overrides, and the values
 * the start drew: the seed (when the options leave it unset) and the start time that the LoRA metadata shows.
 *
 * @param runFile file name of the run file's copy in the launch directory
 * @param workingDirectory where relative paths of the options were read from
 */
public record Launch(String runFile, List<String> overrides, String workingDirectory, long seed,
    long startedAtMillis) {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public Launch {
    overrides = List.copyOf(overrides);
  }

  /** Copies the run file into the run directory and writes launch.json, both atomically. */
  public static Launch record(RunDirectory dir, Path runFile, List<String> overrides, long seed, long startedAtMillis)
      throws IOException {
    Files.createDirectories(dir.launchDir());
    String name = runFile.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".toml")
        ? "run.toml" : "run.conf";
    byte[] text = Files.readAllBytes(runFile);
    AtomicFile.write(dir.launchDir().resolve(name), out -> out.write(text));
    Launch launch = new Launch(name, overrides, Path.of("").toAbsolutePath().toString(), seed, startedAtMillis);
    byte[] json = JSON.writeValueAsBytes(launch);
    AtomicFile.write(dir.launchFile(), out -> out.write(json));
    return launch;
  }

  public static boolean exists(RunDirectory dir) {
    return Files.isRegularFile(dir.launchFile());
  }

  /** @throws RunDirectoryException if the directory holds no launch record */
  public static Launch read(RunDirectory dir) throws IOException {
    if (!exists(dir)) {
      throw new RunDirectoryException(dir.outputDir(), "is not a Tsumugi run: " + dir.launchFile()
          + " is missing (give the output_dir of a run started with tsumugi train)");
    }
    return JSON.readValue(dir.launchFile().toFile(), Launch.class);
  }

  public Path runFilePath(RunDirectory dir) {
    return dir.launchDir().resolve(runFile);
  }
}
