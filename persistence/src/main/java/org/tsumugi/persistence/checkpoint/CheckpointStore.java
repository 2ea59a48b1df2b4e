package org.tsumugi.persistence.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Immutable checkpoint files under one directory. {@link #write} stores a file atomically ({@link AtomicFile})
 * and returns its {@link StoredFile} (size and SHA-256 computed from the bytes as they were written); the ledger
 * records that. Before a file is read back, {@link #verify} or {@link #openVerified} re-hash it and refuse it if
 * it differs, so a truncated or corrupted checkpoint is never used.
 *
 * <p>One writer per directory is assumed (the run directory is locked by the ledger), so the check that a name
 * is still free and the atomic rename that takes it are not one step.
 */
public final class CheckpointStore {
  private static final int READ_BUFFER = 1 << 16;

  private final Path directory;

  public CheckpointStore(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  public Path directory() {
    return directory;
  }

  /**
   * What writing {@code content} under {@code name} would record (its size and SHA-256), computed without touching the
   * disk: to tell whether a file already there holds exactly that.
   */
  public StoredFile describe(String name, ContentWriter content) throws IOException {
    Sha256 hashing = new Sha256(OutputStream.nullOutputStream());
    content.writeTo(hashing);
    return new StoredFile(resolve(name), hashing.size(), hashing.hexDigest());
  }

  /**
   * Writes the checkpoint {@code name} (a path relative to the store's directory, parents created as needed).
   *
   * @throws CheckpointWriteException if the file (or a directory of its name) exists already, the name leaves the
   *     directory, or the write fails (disk full, unwritable directory, the content writer threw); nothing is left
   *     behind then
   */
  public StoredFile write(String name, ContentWriter content) {
    Path target = resolve(name);
    if (Files.isDirectory(target)) {
      throw new CheckpointWriteException(target, "a directory of that name is in the way (a checkpoint is a file and"
          + " is never written over anything); move the directory away", null);
    }
    if (Files.exists(target)) {
      throw new CheckpointWriteException(target, "a checkpoint of that name exists already and checkpoints are"
          + " never overwritten", null);
    }
    Path created = createParents(target);
    Sha256[] hashing = new Sha256[1];
    try {
      AtomicFile.write(target, out -> {
        hashing[0] = new Sha256(out);
        content.writeTo(hashing[0]);
      });
    } catch (CheckpointWriteException e) {
      removeEmptyDirectories(target.getParent(), created);
      throw e;
    }
    return new StoredFile(target, hashing[0].size(), hashing[0].hexDigest());
  }

  /** Creates the directories {@code target} needs; returns the outermost one created, or null if none was. */
  private static Path createParents(Path target) {
    Path parent = target.getParent();
    if (Files.exists(parent) && !Files.isDirectory(parent)) {
      throw new CheckpointWriteException(target, parent + " is not a directory", null);
    }
    Path outermost = null;
    for (Path p = parent; p != null && Files.notExists(p); p = p.getParent()) {
      outermost = p;
    }
    try {
      Files.createDirectories(parent);
    } catch (IOException | RuntimeException e) {
      throw new CheckpointWriteException(target, "cannot create its directory: " + AtomicFile.reason(e), e);
    }
    return outermost;
  }

  /**
   * After a failed write, removes the directories it created for nothing (a state directory with no state in it would
   * look like a save), from {@code directory} up to {@code outermost}, as long as they are empty.
   */
  private static void removeEmptyDirectories(Path directory, Path outermost) {
    if (outermost == null) {
      return;
    }
    for (Path p = directory; p != null && p.startsWith(outermost); p = p.getParent()) {
      try {
        Files.delete(p);
      } catch (IOException | RuntimeException e) {
        return; // not empty, or gone: the write's failure is what the caller must see
      }
    }
  }

  private Path resolve(String name) {
    Path target = directory.resolve(name).normalize();
    if (!target.startsWith(directory) || target.equals(directory)) {
      throw new CheckpointWriteException(target, "checkpoint name [" + name + "] must be a file inside "
          + directory, null);
    }
    return target;
  }

  /** Returns {@code file} if its size and SHA-256 on disk still match; throws otherwise. */
  public StoredFile verify(StoredFile file) {
    try (FileChannel channel = openChannel(file)) {
      check(file, channel);
      return file;
    } catch (IOException e) {
      throw new CheckpointVerificationException(file.path(), "cannot be read: " + AtomicFile.reason(e), e);
    }
  }

  /**
   * Verifies {@code file} and opens it for reading from its start. The stream reads the very file that was
   * hashed (the same open handle), so a rename between check and read cannot swap it.
   */
  public InputStream openVerified(StoredFile file) {
    FileChannel channel = openChannel(file);
    try {
      check(file, channel);
      channel.position(0);
      return Channels.newInputStream(channel);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel, e);
      if (e instanceof CheckpointVerificationException refused) {
        throw refused;
      }
      throw new CheckpointVerificationException(file.path(), "cannot be read: " + AtomicFile.reason(e), e);
    }
  }

  private static FileChannel openChannel(StoredFile file) {
    try {
      return FileChannel.open(file.path(), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new CheckpointVerificationException(file.path(), "the file is missing", e);
    } catch (IOException e) {
      throw new CheckpointVerificationException(file.path(), "cannot be opened: " + AtomicFile.reason(e), e);
    }
  }

  private static void check(StoredFile file, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size != file.size()) {
      throw new CheckpointVerificationException(file.path(), "size is " + size + " bytes but " + file.size()
          + " were recorded when it was written (truncated or replaced)");
    }
    String sha256 = hash(channel);
    if (!sha256.equals(file.sha256())) {
      throw new CheckpointVerificationException(file.path(), "sha256 is " + sha256 + " but " + file.sha256()
          + " was recorded when it was written (the content changed)");
    }
  }

  private static String hash(FileChannel channel) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
    channel.position(0);
    while (channel.read(buffer) >= 0) {
      buffer.flip();
      digest.update(buffer);
      buffer.clear();
    }
    return Sha256.hex(digest.digest());
  }

  private static void closeQuietly(FileChannel channel, Exception failure) {
    try {
      channel.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
