package org.tsumugi.persistence.rocksdb;

import java.nio.file.Path;

/**
 * A read or write on an open RocksDB store failed. For the journal this is a storage failure (the persistent
 * actor is stopped), never a rejection.
 */
public final class StoreIoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreIoException(Path directory, String operation, Throwable cause) {
    super(operation + " on RocksDB store " + directory + " failed: " + cause.getMessage(), cause);
  }
}
