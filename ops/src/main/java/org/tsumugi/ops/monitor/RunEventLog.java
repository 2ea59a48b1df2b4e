package org.tsumugi.ops.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.tsumugi.actors.RunEvent;

/**
 * Reads a run's JSON-lines event log, from the start or as it grows. Only complete lines count: a last line without
 * its newline is still being written (or was cut short by a crash) and is left for a later read.
 */
public final class RunEventLog {

  private RunEventLog() {}

  /** Every complete event in the log; none when the file does not exist yet. */
  public static List<RunEvent> readAll(Path file) throws IOException {
    return new Tail(file).poll();
  }

  /** Follows one log file: each {@link #poll()} returns the events completed since the previous one. */
  public static final class Tail {

    private final Path file;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long position;
    private long lineNumber;

    public Tail(Path file) {
      this.file = file;
    }

    public List<RunEvent> poll() throws IOException {
      List<RunEvent> events = new ArrayList<>();
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        channel.position(position);
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        int read;
        while ((read = channel.read(buffer)) > 0) {
          position += read;
          buffer.flip();
          collectLines(buffer, events);
          buffer.clear();
        }
      } catch (NoSuchFileException e) {
        return events;
      }
      return events;
    }

    private void collectLines(ByteBuffer buffer, List<RunEvent> events) throws IOException {
      while (buffer.hasRemaining()) {
        byte b = buffer.get();
        if (b != '\n') {
          pending.write(b);
          continue;
        }
        lineNumber++;
        String line = pending.toString(StandardCharsets.UTF_8).strip();
        pending.reset();
        if (!line.isEmpty()) {
          events.add(parse(line));
        }
      }
    }

    private RunEvent parse(String line) throws RunLogCorruptException {
      try {
        return RunEventJson.read(line);
      } catch (JsonProcessingException e) {
        throw new RunLogCorruptException(file, lineNumber, e.getOriginalMessage());
      }
    }
  }
}
