package org.tsumugi.ops.monitor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard event files: per record a little-endian uint64 length, the masked
 * CRC32C of those 8 bytes, the data, and the masked CRC32C of the data (both CRCs little-endian uint32).
 */
public final class TfRecords {

  private static final int MASK_DELTA = 0xa282ead8;
  private static final int HEADER = Long.BYTES + Integer.BYTES;

  private TfRecords() {}

  public static void write(OutputStream out, byte[] data) throws IOException {
    ByteBuffer frame = ByteBuffer.allocate(HEADER + data.length + Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    frame.putLong(data.length);
    frame.putInt(maskedCrc(frame.array(), 0, Long.BYTES));
    frame.put(data);
    frame.putInt(maskedCrc(data, 0, data.length));
    out.write(frame.array());
  }

  /** Every record's data, after checking both checksums of each. */
  public static List<byte[]> readAll(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<byte[]> records = new ArrayList<>();
    while (in.hasRemaining()) {
      records.add(readOne(file, in, records.size()));
    }
    return records;
  }

  private static byte[] readOne(Path file, ByteBuffer in, int index) throws TfRecordCorruptException {
    int start = in.position();
    if (in.remaining() < HEADER) {
      throw new TfRecordCorruptException(file, index, start, "cut short inside the length header");
    }
    long length = in.getLong();
    check(file, index, start, "length", in.getInt(), maskedCrc(in.array(), start, Long.BYTES));
    if (length < 0 || length > in.remaining() - Integer.BYTES) {
      throw new TfRecordCorruptException(file, index, start,
          "length " + length + " runs past the end of the file (" + in.remaining() + " bytes left)");
    }
    byte[] data = new byte[(int) length];
    in.get(data);
    check(file, index, start, "data", in.getInt(), maskedCrc(data, 0, data.length));
    return data;
  }

  private static void check(Path file, int index, long offset, String part, int stored, int computed)
      throws TfRecordCorruptException {
    if (stored != computed) {
      throw new TfRecordCorruptException(file, index, offset, String.format(
          "%s checksum differs (stored 0x%08x, computed 0x%08x)", part, stored, computed));
    }
  }

  /** The CRC32C masked as TFRecord does, so that a CRC of data holding CRCs stays well distributed. */
  static int maskedCrc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + MASK_DELTA;
  }
}
