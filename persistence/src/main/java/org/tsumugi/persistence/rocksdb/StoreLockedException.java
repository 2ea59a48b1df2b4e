package org.tsumugi.persistence.rocksdb;

import java.nio.file.Path;

/**
 * The RocksDB directory is held by another process (RocksDB's LOCK file): two runs may not share one run
 * directory.
 */
public final class StoreLockedException extends StoreOpenException {
  private static final long serialVersionUID = 1L;

  public StoreLockedException(Path directory, Throwable cause) {
    super(directory, "RocksDB store " + directory + " is locked: another process holds this run directory"
        + " (its LOCK file is taken). Stop that process or use another run directory.", cause);
  }
}
