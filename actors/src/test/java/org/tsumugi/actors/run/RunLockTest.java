package org.tsumugi.actors.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run directory takes one holder at a time; a second is refused at once, naming the directory. */
class RunLockTest {
  @TempDir Path dir;

  @Test
  void aSecondHoldIsRefusedNamingTheDirectoryUntilTheFirstIsReleased() throws IOException {
    RunDirectory run = new RunDirectory(dir.resolve("out"));
    try (RunLock first = RunLock.acquire(run)) {
      RunDirectoryException refused = assertThrows(RunDirectoryException.class, () -> RunLock.acquire(run));
      assertTrue(refused.getMessage().startsWith("run directory " + run.outputDir() + " is already in use"),
          refused.getMessage());
    }
    try (RunLock again = RunLock.acquire(run)) {
      assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(run.lockFile()),
          "the holder's pid in " + run.lockFile());
    }
  }
}
