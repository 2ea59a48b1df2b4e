package org.tsumugi.persistence.rocksdb;

import java.nio.file.Path;

/** A RocksDB directory of the run ledger could not be opened. */
public class StoreOpenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Path directory;

  public StoreOpenException(Path directory, String message, Throwable cause) {
    super(message, cause);
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }
}
