package org.tsumugi.actors;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tsumugi.actors.run.RunDirectory;
import org.tsumugi.persistence.checkpoint.CheckpointStore;
import org.tsumugi.persistence.checkpoint.CheckpointVerificationException;
import org.tsumugi.persistence.checkpoint.ContentWriter;
import org.tsumugi.persistence.checkpoint.StoredFile;

/**
 * The run's saved files in its output directory, written through the {@link CheckpointStore} (atomic, size and
 * sha256 recorded). A name that already holds exactly the bytes to write is kept as it is: a resumed run saves again
 * what the interrupted run may already have saved, and those bytes are the same. A name holding anything else is the
 * leftover of a save the ledger never recorded and is replaced.
 */
final class CheckpointFiles {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointFiles.class);

  private final RunDirectory directory;
  private final CheckpointStore store;

  CheckpointFiles(RunDirectory directory) {
    this.directory = directory;
    this.store = new CheckpointStore(directory.outputDir());
  }

  /** Stores what {@code content} writes under {@code name} (relative to output_dir). */
  StoredFile write(String name, ContentWriter content) throws IOException {
    Path target = directory.resolve(name);
    if (Files.isRegularFile(target)) {
      try {
        return store.verify(store.describe(name, content));
      } catch (CheckpointVerificationException e) {
        LOG.warn("replacing {}: it does not hold what this save writes ({})", target, e.getMessage());
        deleteQuietly(target);
      }
    }
    return store.write(name, content);
  }

  /** Removes a file or a state directory; returns whether anything was there. */
  boolean remove(String name) throws IOException {
    Path target = directory.resolve(name);
    if (!Files.exists(target)) {
      return false;
    }
    if (Files.isDirectory(target)) {
      Files.walkFileTree(target, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          if (e != null) {
            throw e;
          }
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } else {
      Files.delete(target);
    }
    return true;
  }

  Path path(String name) {
    return directory.resolve(name);
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", path, e.getMessage());
    }
  }
}
