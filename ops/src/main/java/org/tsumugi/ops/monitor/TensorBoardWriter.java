package org.tsumugi.ops.monitor;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;

/** One TensorBoard event file, opened with its file-version event; events are buffered until {@link #flush()}. */
public final class TensorBoardWriter implements Closeable {

  private final Path file;
  private final OutputStream out;

  private TensorBoardWriter(Path file, OutputStream out) {
    this.file = file;
    this.out = out;
  }

  /**
   * Creates {@code events.out.tfevents.<unix time>.<host>.<pid>.0} in {@code dir}, the name PyTorch's SummaryWriter
   * (the reference's TensorBoard tracker) gives its files.
   */
  public static TensorBoardWriter create(Path dir, Instant now) throws IOException {
    Files.createDirectories(dir);
    String name = String.format(Locale.ROOT, "events.out.tfevents.%010d.%s.%d.0", now.getEpochSecond(), hostName(),
        ProcessHandle.current().pid());
    Path file = dir.resolve(name);
    OutputStream out = new BufferedOutputStream(
        Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    TensorBoardWriter writer = new TensorBoardWriter(file, out);
    writer.write(TensorBoardEvent.fileVersion(now.toEpochMilli() / 1000.0));
    writer.flush();
    return writer;
  }

  public Path file() {
    return file;
  }

  public void write(TensorBoardEvent event) throws IOException {
    TfRecords.write(out, event.encode());
  }

  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
