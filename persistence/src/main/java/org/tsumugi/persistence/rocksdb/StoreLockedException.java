package org.tsumugi.persistence.rocksdb;

import java.nio.file.Path;

/**
 * The RocksDB directory is held by another process (RocksDB's LOCK file), or already open in this one: two runs
 * may not share one run directory.
 */
public final class StoreLockedException extends StoreOpenException {
  private static final long serialVersionUID = 1L;

  public StoreLockedException(Path directory, boolean heldByThisProcess, Throwable cause) {
    super(directory, "RocksDB store " + directory + " is locked: "
        + (heldByThisProcess ? "it is already open in this process" : "another process holds this run directory")
        + " (its LOCK file is taken). Stop the other user or use another run directory.", cause);
  }
}
