package org.tsumugi.engine.io;

import java.nio.file.Files;
import java.nio.file.Path;

/** The reference's golden files (system property {@code tsumugi.golden}, set by the root pom). */
public final class Golden {
  private Golden() {}

  public static Path dir() {
    String dir = System.getProperty("tsumugi.golden");
    if (dir == null || !Files.isDirectory(Path.of(dir))) {
      throw new IllegalStateException("golden directory missing: system property tsumugi.golden = " + dir);
    }
    return Path.of(dir);
  }

  public static Path file(String relative) {
    Path p = dir().resolve(relative);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("golden file missing: " + p);
    }
    return p;
  }
}
