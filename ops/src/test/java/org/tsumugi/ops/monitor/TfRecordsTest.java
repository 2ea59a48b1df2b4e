package org.tsumugi.ops.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfRecordsTest {

  @TempDir Path dir;

  /** CRC-32C of "123456789" is 0xE3069283 (the published check value of the Castagnoli polynomial). */
  private static final int CHECK_CRC = 0xE3069283;

  @Test
  void masksTheCrcAsTfRecordSpecifies() {
    int rotated = (CHECK_CRC >>> 15) | (CHECK_CRC << 17);
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertEquals(rotated + 0xa282ead8, TfRecords.maskedCrc(check, 0, check.length));
  }

  @Test
  void framesARecordAsLengthCrcDataCrc() throws IOException {
    byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TfRecords.write(out, data);
    ByteBuffer frame = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);

    assertEquals(8 + 4 + 9 + 4, frame.capacity());
    assertEquals(9L, frame.getLong(0));
    byte[] lengthBytes = {9, 0, 0, 0, 0, 0, 0, 0};
    assertEquals(TfRecords.maskedCrc(lengthBytes, 0, 8), frame.getInt(8));
    byte[] payload = new byte[9];
    frame.get(12, payload);
    assertArrayEquals(data, payload);
    assertEquals(((CHECK_CRC >>> 15) | (CHECK_CRC << 17)) + 0xa282ead8, frame.getInt(21));
  }

  @Test
  void readsBackEveryRecord() throws IOException {
    Path file = write("first", "", "third record");
    List<byte[]> records = TfRecords.readAll(file);
    assertEquals(3, records.size());
    assertEquals("first", new String(records.get(0), StandardCharsets.UTF_8));
    assertEquals(0, records.get(1).length);
    assertEquals("third record", new String(records.get(2), StandardCharsets.UTF_8));
  }

  @Test
  void detectsACorruptedDataByte() throws IOException {
    Path file = write("first", "second");
    byte[] bytes = Files.readAllBytes(file);
    int secondData = (8 + 4 + 5 + 4) + 8 + 4;
    bytes[secondData + 2] ^= 0x01;
    Files.write(file, bytes);

    TfRecordCorruptException e = assertThrows(TfRecordCorruptException.class, () -> TfRecords.readAll(file));
    assertTrue(e.getMessage().contains("record 1"), e.getMessage());
    assertTrue(e.getMessage().contains("data checksum differs"), e.getMessage());
  }

  @Test
  void detectsACorruptedLengthByte() throws IOException {
    Path file = write("first");
    byte[] bytes = Files.readAllBytes(file);
    bytes[0] ^= 0x02;
    Files.write(file, bytes);

    TfRecordCorruptException e = assertThrows(TfRecordCorruptException.class, () -> TfRecords.readAll(file));
    assertTrue(e.getMessage().contains("record 0 at byte 0: length checksum differs"), e.getMessage());
  }

  @Test
  void refusesARecordCutShort() throws IOException {
    Path file = write("first", "second");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));

    TfRecordCorruptException e = assertThrows(TfRecordCorruptException.class, () -> TfRecords.readAll(file));
    assertTrue(e.getMessage().contains("record 1"), e.getMessage());
  }

  private Path write(String... records) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String record : records) {
      TfRecords.write(out, record.getBytes(StandardCharsets.UTF_8));
    }
    Path file = dir.resolve("records.tfrecord");
    Files.write(file, out.toByteArray());
    return file;
  }
}
