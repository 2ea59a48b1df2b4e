package org.tsumugi.ops.monitor;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.actors.RunEventSink;

/**
 * Appends each event as one JSON line to the run's event log and flushes it, so that {@code tsumugi watch} and any
 * tailing tool see it at once. A resumed run appends to the same file.
 */
public final class JsonLinesSink implements RunEventSink {

  private final Path file;
  private final FileOutputStream out;

  private JsonLinesSink(Path file, FileOutputStream out) {
    this.file = file;
    this.out = out;
  }

  /** Opens the log for appending, first dropping a last line that a killed process left without its newline. */
  public static JsonLinesSink open(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    dropCutOffLine(file);
    return new JsonLinesSink(file, new FileOutputStream(file.toFile(), true));
  }

  public Path file() {
    return file;
  }

  @Override
  public void accept(RunEvent event) {
    byte[] line = (RunEventJson.write(event) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      out.write(line); // one write per line: a reader never sees two events interleaved
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the event log " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the event log " + file, e);
    }
  }

  private static void dropCutOffLine(Path file) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long end = channel.size();
      long keep = end;
      ByteBuffer one = ByteBuffer.allocate(1);
      while (keep > 0) {
        one.clear();
        channel.read(one, keep - 1);
        if (one.get(0) == '\n') {
          break;
        }
        keep--;
      }
      if (keep < end) {
        channel.truncate(keep);
      }
    }
  }
}
