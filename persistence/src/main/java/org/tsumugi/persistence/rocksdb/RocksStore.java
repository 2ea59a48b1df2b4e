package org.tsumugi.persistence.rocksdb;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One open RocksDB directory with named column families. Every write is synced to disk before it returns, so
 * what was acknowledged survives a crash of the process or the machine.
 *
 * <p>The owning plugin actor writes and closes on its own thread; reads from other threads go through
 * {@link #read}, which {@link #close} waits for, since using a closed RocksDB handle crashes the JVM.
 */
final class RocksStore implements AutoCloseable {
  /** A read of the store that may run on any thread. */
  @FunctionalInterface
  interface Read<T> {
    T run() throws RocksDBException;
  }

  static {
    RocksDB.loadLibrary();
  }

  private final Path directory;
  private final RocksDB db;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions familyOptions;
  private final WriteOptions syncWrites;
  private final List<ColumnFamilyHandle> handles;
  private final Map<String, ColumnFamilyHandle> families;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private RocksStore(Path directory, RocksDB db, DBOptions dbOptions, ColumnFamilyOptions familyOptions,
      List<ColumnFamilyHandle> handles, Map<String, ColumnFamilyHandle> families) {
    this.directory = directory;
    this.db = db;
    this.dbOptions = dbOptions;
    this.familyOptions = familyOptions;
    this.syncWrites = new WriteOptions().setSync(true);
    this.handles = handles;
    this.families = families;
  }

  /** Opens (creating if missing) the store at {@code directory} with the given column families. */
  static RocksStore open(Path directory, List<String> familyNames) {
    Path dir = directory.toAbsolutePath();
    createDirectory(dir);
    DBOptions dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    ColumnFamilyOptions familyOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions));
    for (String name : familyNames) {
      descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), familyOptions));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
      Map<String, ColumnFamilyHandle> byName = new HashMap<>();
      for (int i = 0; i < familyNames.size(); i++) {
        byName.put(familyNames.get(i), handles.get(i + 1));
      }
      return new RocksStore(dir, db, dbOptions, familyOptions, handles, byName);
    } catch (RocksDBException e) {
      dbOptions.close();
      familyOptions.close();
      throw openFailure(dir, e);
    }
  }

  private static void createDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException | RuntimeException e) {
      throw new StoreOpenException(dir, "cannot create RocksDB directory " + dir + ": " + e, e);
    }
  }

  private static StoreOpenException openFailure(Path dir, RocksDBException e) {
    Status status = e.getStatus();
    String message = String.valueOf(e.getMessage());
    boolean ioError = status != null && status.getCode() == Status.Code.IOError;
    // RocksDB's own wording: "lock hold by current process" for a second open in this JVM, otherwise the
    // failed flock of "<dir>/LOCK".
    if (ioError && message.contains("lock hold by current process")) {
      return new StoreLockedException(dir, true, e);
    }
    if (ioError && message.contains("/LOCK")) {
      return new StoreLockedException(dir, false, e);
    }
    return new StoreOpenException(dir, "cannot open RocksDB store " + dir + ": " + message, e);
  }

  Path directory() {
    return directory;
  }

  RocksDB db() {
    return db;
  }

  ColumnFamilyHandle family(String name) {
    ColumnFamilyHandle handle = families.get(name);
    if (handle == null) {
      throw new IllegalArgumentException("no column family [" + name + "] in " + directory
          + "; opened with " + families.keySet());
    }
    return handle;
  }

  WriteOptions syncWrites() {
    return syncWrites;
  }

  /** Applies the whole batch atomically and durably. */
  void write(WriteBatch batch) throws RocksDBException {
    db.write(syncWrites, batch);
  }

  /** Runs {@code read} unless the store is closed; closing waits until it is done. */
  <T> T read(Read<T> read) throws RocksDBException {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("RocksDB store " + directory + " is closed (its plugin has stopped)");
      }
      return read.run();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (ColumnFamilyHandle handle : handles) {
        handle.close();
      }
      db.close();
      syncWrites.close();
      familyOptions.close();
      dbOptions.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
