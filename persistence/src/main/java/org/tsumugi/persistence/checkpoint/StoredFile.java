package org.tsumugi.persistence.checkpoint;

import java.nio.file.Path;

/**
 * A file as it was written: where, how many bytes, and the lowercase hex SHA-256 of those bytes. This is what the
 * run ledger records, and what a file must still match before it is read back.
 */
public record StoredFile(Path path, long size, String sha256) {
  public StoredFile {
    if (size < 0) {
      throw new IllegalArgumentException("size of " + path + " must be >= 0, got " + size);
    }
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sha256 of " + path + " must be 64 lowercase hex digits, got " + sha256);
    }
  }
}
