package org.tsumugi.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsumugi.actors.run.RunDirectory;
import org.tsumugi.actors.run.RunLock;
import org.tsumugi.ops.run.TinyRunFile;
import picocli.CommandLine;

/**
 * {@code tsumugi train} refuses what it cannot run before training, with exit code 2 and one line that says what and
 * where: a wrong option (key, file:line, the nearest name), a damaged cache file (its path), a run directory another
 * holder has.
 */
class TrainRefusalTest {
  @TempDir Path dir;

  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int train(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(out, true));
    String[] all = new String[args.length + 1];
    all[0] = "train";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }

  @Test
  void anUnknownOptionIsRefusedWithItsFileLineAndTheNearestName() throws Exception {
    Path runFile = TinyRunFile.write(dir);
    Path bad = Files.writeString(dir.resolve("bad.conf"), "include \"run.conf\"\n\nlearning_rat = 1e-4\n");

    assertEquals(2, train("--config", bad.toString()), err.toString());
    assertTrue(err.toString().startsWith("tsumugi train: " + bad + ":3: unknown option learning_rat. Did you mean "
        + "learning_rate?"), err.toString());
    assertTrue(Files.notExists(dir.resolve("out")), "nothing was created for the run");
    assertTrue(Files.isRegularFile(runFile));
  }

  @Test
  void aDamagedCacheFileIsRefusedByNameBeforeTraining() throws Exception {
    Path runFile = TinyRunFile.write(dir);
    Path damaged = TinyRunFile.firstLatentCache(dir);
    try (RandomAccessFile file = new RandomAccessFile(damaged.toFile(), "rw")) {
      file.setLength(file.length() / 2);
    }

    assertEquals(2, train("--config", runFile.toString()), err.toString());
    assertTrue(err.toString().startsWith("tsumugi train: " + damaged + ": not a valid safetensors file"),
        err.toString());
    RunDirectory run = new RunDirectory(dir.resolve("out"));
    assertTrue(Files.notExists(run.journal()), "no ledger was opened");
  }

  @Test
  void aRunDirectoryInUseIsRefusedNamingIt() throws Exception {
    Path runFile = TinyRunFile.write(dir);
    RunDirectory run = new RunDirectory(dir.resolve("out"));
    try (RunLock held = RunLock.acquire(run)) {
      assertEquals(2, train("--config", runFile.toString()), err.toString());
    }
    assertTrue(err.toString().startsWith("tsumugi train: run directory " + run.outputDir() + " is already in use"),
        err.toString());
    assertTrue(Files.notExists(run.launchFile()), "the held directory was not touched");
  }
}
