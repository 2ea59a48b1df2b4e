package org.tsumugi.engine.ema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointOrderTest {
  @TempDir Path dir;

  private Path file(String name, long millis) throws IOException {
    Path p = Files.writeString(dir.resolve(name), name);
    Files.setLastModifiedTime(p, FileTime.fromMillis(millis));
    return p;
  }

  @Test
  void sortsOldestFirstAndKeepsTheGivenOrderForEqualTimes() throws IOException {
    Path late = file("late", 3_000_000);
    Path tieB = file("tieB", 2_000_000);
    Path early = file("early", 1_000_000);
    Path tieA = file("tieA", 2_000_000);
    assertEquals(List.of(early, tieB, tieA, late), CheckpointOrder.byModificationTime(List.of(late, tieB, early, tieA)));
    assertEquals(List.of(early, tieA, tieB, late), CheckpointOrder.byModificationTime(List.of(tieA, late, tieB, early)));
  }

  @Test
  void timesCloserThanTheReferencesDoubleSecondsTie() throws IOException {
    // 1.7e9 s as a double has a resolution of about 2.4e-7 s: 100 ns apart compare equal in the reference
    Path second = dir.resolve("second");
    Path first = dir.resolve("first");
    Files.writeString(second, "b");
    Files.writeString(first, "a");
    Files.setLastModifiedTime(second, FileTime.from(java.time.Instant.ofEpochSecond(1_700_000_000L, 100)));
    Files.setLastModifiedTime(first, FileTime.from(java.time.Instant.ofEpochSecond(1_700_000_000L, 0)));
    assertEquals(List.of(second, first), CheckpointOrder.byModificationTime(List.of(second, first)));
  }
}
