package org.tsumugi.persistence.rocksdb;

/**
 * Snapshots matching a load existed but none of those tried could be read. Recovery must fail then rather than
 * start from an older state whose events may have been deleted.
 */
public final class SnapshotLoadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SnapshotLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
