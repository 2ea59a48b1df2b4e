package org.tsumugi.ops.monitor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a TensorBoard event file: TFRecord framing (both CRCs of every record checked), then each Event. */
public final class TensorBoardEvents {

  private TensorBoardEvents() {}

  public static List<TensorBoardEvent> read(Path file) throws IOException {
    List<byte[]> records = TfRecords.readAll(file);
    List<TensorBoardEvent> events = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      try {
        events.add(TensorBoardEvent.decode(records.get(i)));
      } catch (IOException e) {
        throw new IOException(file + ": record " + i + " is not a TensorBoard Event: " + e.getMessage(), e);
      }
    }
    return events;
  }
}
