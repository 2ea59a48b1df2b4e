package org.tsumugi.persistence.rocksdb;

import com.typesafe.config.Config;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;

/** A {@link RocksJournal} whose disk fails every write, as a full or broken disk would. */
public final class FailingStorageJournal extends RocksJournal {
  public FailingStorageJournal(Config cfg, String configPath) {
    super(cfg, configPath);
  }

  @Override
  protected void write(WriteBatch batch) throws RocksDBException {
    throw new RocksDBException("IO error: No space left on device",
        new Status(Status.Code.IOError, Status.SubCode.NoSpace, "No space left on device"));
  }
}
