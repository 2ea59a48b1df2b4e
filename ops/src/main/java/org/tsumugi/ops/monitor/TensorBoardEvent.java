package org.tsumugi.ops.monitor;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One TensorBoard {@code Event} message holding either the file version or scalar summaries. Encoded by field number
 * (tensorflow event.proto / summary.proto): Event.wall_time=1 (double), step=2 (int64), file_version=3 (string),
 * summary=5; Summary.value=1 (repeated); Summary.Value.tag=1, simple_value=2 (float). Other fields are skipped when
 * reading.
 *
 * @param fileVersion empty unless this is a file's first event
 */
public record TensorBoardEvent(double wallTime, long step, String fileVersion, List<Scalar> scalars) {

  /** The version string TensorBoard expects in a file's first event. */
  public static final String FILE_VERSION = "brain.Event:2";

  public record Scalar(String tag, float value) {}

  // A protobuf tag is (field number << 3) | wire type.
  private static final int WALL_TIME = 1 << 3 | WireFormat.WIRETYPE_FIXED64;
  private static final int STEP = 2 << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int FILE_VERSION_FIELD = 3 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int SUMMARY = 5 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int SUMMARY_VALUE = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int VALUE_TAG = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int VALUE_SIMPLE_VALUE = 2 << 3 | WireFormat.WIRETYPE_FIXED32;

  public TensorBoardEvent {
    scalars = List.copyOf(scalars);
  }

  public static TensorBoardEvent fileVersion(double wallTime) {
    return new TensorBoardEvent(wallTime, 0, FILE_VERSION, List.of());
  }

  public static TensorBoardEvent scalars(double wallTime, long step, List<Scalar> scalars) {
    return new TensorBoardEvent(wallTime, step, "", scalars);
  }

  public byte[] encode() {
    return message(out -> {
      out.writeDouble(1, wallTime);
      if (step != 0) {
        out.writeInt64(2, step);
      }
      if (!fileVersion.isEmpty()) {
        out.writeString(3, fileVersion);
      }
      if (!scalars.isEmpty()) {
        out.writeByteArray(5, summary(scalars));
      }
    });
  }

  public static TensorBoardEvent decode(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    double wallTime = 0;
    long step = 0;
    String fileVersion = "";
    List<Scalar> scalars = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case WALL_TIME -> wallTime = in.readDouble();
        case STEP -> step = in.readInt64();
        case FILE_VERSION_FIELD -> fileVersion = in.readString();
        case SUMMARY -> readSummary(in.readByteArray(), scalars);
        default -> in.skipField(tag);
      }
    }
    return new TensorBoardEvent(wallTime, step, fileVersion, scalars);
  }

  private static byte[] summary(List<Scalar> scalars) {
    return message(out -> {
      for (Scalar scalar : scalars) {
        out.writeByteArray(1, message(value -> {
          value.writeString(1, scalar.tag());
          value.writeFloat(2, scalar.value());
        }));
      }
    });
  }

  private static void readSummary(byte[] bytes, List<Scalar> scalars) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == SUMMARY_VALUE) {
        readValue(in.readByteArray(), scalars);
      } else {
        in.skipField(tag);
      }
    }
  }

  /** A value without simple_value (an image, a histogram, a tensor) is not a scalar and is left out. */
  private static void readValue(byte[] bytes, List<Scalar> scalars) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    String name = "";
    Float value = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case VALUE_TAG -> name = in.readString();
        case VALUE_SIMPLE_VALUE -> value = in.readFloat();
        default -> in.skipField(tag);
      }
    }
    if (value != null) {
      scalars.add(new Scalar(name, value));
    }
  }

  private interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Body body) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      body.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a TensorBoard event in memory", e);
    }
  }
}
