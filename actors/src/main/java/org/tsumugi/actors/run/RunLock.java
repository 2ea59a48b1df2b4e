package org.tsumugi.actors.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive hold of one process on a run directory, taken before anything else touches it. The ledger's RocksDB
 * lock would refuse a second process too, but only once its plugin starts and with a storage error; this names the
 * directory and the process that holds it, at once.
 */
public final class RunLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * @throws RunDirectoryException if another process (or this one) holds the directory, or it cannot be created
   */
  public static RunLock acquire(RunDirectory dir) {
    FileChannel channel = null;
    try {
      Files.createDirectories(dir.meta());
      channel = FileChannel.open(dir.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        String holder = holder(channel);
        channel.close();
        throw new RunDirectoryException(dir.outputDir(), "is in use by another process" + holder
            + ": one run directory takes one process at a time. Wait for it to end, stop it, or choose another"
            + " output_dir");
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)),
          0);
      channel.force(true);
      return new RunLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new RunDirectoryException(dir.outputDir(), "is already in use by this process", e);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new RunDirectoryException(dir.outputDir(), "cannot be locked: " + e.getMessage(), e);
    }
  }

  private static String holder(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(32);
    int n = channel.read(buffer, 0);
    String pid = n > 0 ? new String(buffer.array(), 0, n, StandardCharsets.UTF_8).trim() : "";
    return pid.isEmpty() ? "" : " (pid " + pid + ")";
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the lock failure is what the caller must see
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // released by the operating system when the process ends anyway
    }
  }
}
