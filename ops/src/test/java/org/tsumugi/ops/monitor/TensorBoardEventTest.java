package org.tsumugi.ops.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tsumugi.ops.monitor.TensorBoardEvent.Scalar;

class TensorBoardEventTest {

  /**
   * Event{wall_time: 1.5, step: 3, summary{value{tag: "a", simple_value: 2.0}}} by the protobuf wire rules: a key is
   * (field << 3 | wire type); doubles and floats little-endian; nested messages length-prefixed.
   */
  private static final byte[] SCALAR_EVENT = {
      0x09, 0, 0, 0, 0, 0, 0, (byte) 0xF8, 0x3F, // wall_time = 1, fixed64: 1.5
      0x10, 0x03, // step = 2, varint: 3
      0x2A, 0x0A, // summary = 5, 10 bytes
      0x0A, 0x08, // value = 1, 8 bytes
      0x0A, 0x01, 'a', // tag = 1, "a"
      0x15, 0, 0, 0, 0x40}; // simple_value = 2, fixed32: 2.0f

  @Test
  void encodesAScalarEventByFieldNumber() {
    TensorBoardEvent event = TensorBoardEvent.scalars(1.5, 3, List.of(new Scalar("a", 2.0f)));
    assertArrayEquals(SCALAR_EVENT, event.encode());
  }

  @Test
  void encodesTheFileVersionEvent() throws IOException {
    byte[] encoded = TensorBoardEvent.fileVersion(1.5).encode();
    byte[] version = "brain.Event:2".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertEquals(9 + 2 + version.length, encoded.length);
    assertEquals(0x1A, encoded[9]); // file_version = 3, length-delimited
    assertEquals(version.length, encoded[10]);
    assertEquals(TensorBoardEvent.fileVersion(1.5), TensorBoardEvent.decode(encoded));
  }

  @Test
  void decodesAScalarEvent() throws IOException {
    assertEquals(new TensorBoardEvent(1.5, 3, "", List.of(new Scalar("a", 2.0f))),
        TensorBoardEvent.decode(SCALAR_EVENT));
  }

  @Test
  void skipsFieldsThatAreNotScalars() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeDouble(1, 7.25);
    out.writeInt64(2, 40);
    out.writeByteArray(4, new byte[] {1, 2, 3}); // graph_def
    out.writeByteArray(5, summary(
        value("loss/current", 0.5f, true),
        value("images/sample", 0f, false)));
    out.flush();

    TensorBoardEvent event = TensorBoardEvent.decode(bytes.toByteArray());

    assertEquals(new TensorBoardEvent(7.25, 40, "", List.of(new Scalar("loss/current", 0.5f))), event);
  }

  private static byte[] summary(byte[]... values) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (byte[] value : values) {
      out.writeByteArray(1, value);
    }
    out.flush();
    return bytes.toByteArray();
  }

  /** A Summary.Value with metadata (9) and either simple_value (2) or an image (4). */
  private static byte[] value(String tag, float simple, boolean scalar) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeString(1, tag);
    out.writeByteArray(9, new byte[] {0x0A, 0x00});
    if (scalar) {
      out.writeFloat(2, simple);
    } else {
      out.writeByteArray(4, new byte[] {0x08, 0x01});
    }
    out.flush();
    return bytes.toByteArray();
  }
}
