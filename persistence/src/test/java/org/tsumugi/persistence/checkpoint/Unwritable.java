package org.tsumugi.persistence.checkpoint;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Places where no file can be created, whoever runs the tests. */
final class Unwritable {
  private Unwritable() {}

  /**
   * A directory nobody may write to. As root permission bits are not enforced, so when a probe file can be
   * created anyway, a "directory" whose path runs through a regular file is returned instead.
   */
  static Path directory(Path scratch) throws IOException {
    Path readOnly = Files.createDirectory(scratch.resolve("read-only"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      Files.delete(Files.createFile(readOnly.resolve("probe")));
    } catch (AccessDeniedException expected) {
      return readOnly;
    }
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.delete(readOnly);
    return Files.writeString(scratch.resolve("a-regular-file"), "not a directory");
  }
}
