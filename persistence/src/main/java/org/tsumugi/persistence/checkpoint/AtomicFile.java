package org.tsumugi.persistence.checkpoint;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a file so that its final name only ever shows the complete, durable content: the content goes to a
 * temporary file in the same directory, which is fsynced, renamed over the target in one atomic step, and then
 * the directory is fsynced so that the rename itself survives a crash. If anything fails before the rename, the
 * temporary file is deleted and the target and every other file are left as they were.
 */
public final class AtomicFile {
  private static final int BUFFER_SIZE = 1 << 16;
  static final String TEMP_SUFFIX = ".tmp";

  private AtomicFile() {}

  /** Writes {@code target} (replacing it if it exists) with what {@code content} writes. */
  public static void write(Path target, ContentWriter content) {
    Path file = target.toAbsolutePath().normalize();
    Path directory = file.getParent();
    Path temp = directory.resolve("." + file.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
    boolean created = false;
    boolean renamed = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        created = true;
        writeDurably(channel, content);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      renamed = true;
    } catch (IOException | RuntimeException e) {
      throw new CheckpointWriteException(file, reason(e), e);
    } finally {
      if (created && !renamed) {
        deleteQuietly(temp);
      }
    }
    try {
      forceDirectory(directory);
    } catch (IOException e) {
      throw new CheckpointWriteException(file, "the file is complete under its name but the fsync of its directory"
          + " failed, so the rename may not survive a crash: " + reason(e), e);
    }
  }

  private static void writeDurably(FileChannel channel, ContentWriter content) throws IOException {
    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_SIZE);
    content.writeTo(new KeepOpen(out));
    out.flush();
    channel.force(true);
  }

  /** Makes a completed rename in {@code directory} durable (POSIX needs an fsync of the directory itself). */
  private static void forceDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Best effort: the write has already failed and that failure is what the caller must see. */
  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // the temporary name never becomes a checkpoint name, so a leftover is harmless
    }
  }

  static String reason(Exception e) {
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason() + " (" + e.getClass().getSimpleName() + ")";
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** Lets a content writer close its stream without closing the file before it is flushed and synced. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
