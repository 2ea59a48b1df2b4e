package org.tsumugi.engine.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tsumugi.engine.io.RawSafetensors.entry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files are refused with a message that names the file and the fault. */
class SafetensorsRefusalTest {
  @TempDir Path dir;

  private void assertRefused(byte[] bytes, String fault) throws IOException {
    Path file = RawSafetensors.write(dir, "bad.safetensors", bytes);
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(file));
    assertTrue(e.getMessage().contains(file.toString()), () -> "names the file: " + e.getMessage());
    assertTrue(e.getMessage().contains(fault), () -> "says \"" + fault + "\": " + e.getMessage());
  }

  private void assertRefused(String header, int dataBytes, String fault) throws IOException {
    assertRefused(RawSafetensors.bytes(header, new byte[dataBytes]), fault);
  }

  private static String one(String dtype, String shape, long start, long end) {
    return "{" + entry("w", dtype, shape, start, end) + "}";
  }

  @Test
  void refusesTruncatedFile() throws IOException {
    assertRefused(new byte[] {1, 0, 0}, "truncated file: 3 bytes");
  }

  @Test
  void refusesHeaderLengthPastTheEnd() throws IOException {
    byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
    assertRefused(RawSafetensors.bytes(100, header, new byte[0]), "header length 100 runs past the end");
  }

  @Test
  void refusesHugeHeaderLengthBeforeAllocating() throws IOException {
    byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
    assertRefused(RawSafetensors.bytes(1L << 60, header, new byte[0]), "header length 1152921504606846976 exceeds");
    assertRefused(RawSafetensors.bytes(-1L, header, new byte[0]), "header length 18446744073709551615 exceeds");
  }

  @Test
  void refusesTruncatedData() throws IOException {
    assertRefused(one("F32", "[2]", 0, 8), 5, "out of range");
  }

  @Test
  void refusesInvalidJson() throws IOException {
    assertRefused("{\"w\":{\"dtype\":\"F32\",", 0, "invalid JSON header");
    assertRefused("[1,2]", 0, "must be a JSON object");
    assertRefused("{} {}", 0, "after the header object");
    assertRefused("{}  x", 0, "invalid JSON header");
    assertRefused(RawSafetensors.bytes(4, new byte[] {'{', (byte) 0xC3, '}', ' '}, new byte[0]), "invalid JSON header");
    assertRefused("{" + entry("w", "U8", "[1]", 0, 1) + "," + entry("w", "U8", "[1]", 1, 2) + "}", 2, "Duplicate");
  }

  @Test
  void refusesMalformedEntries() throws IOException {
    assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "lacks data_offsets");
    assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "integers in [0, 2^63)");
    assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]}}", 4, "integers in [0, 2^63)");
    assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4, "[start, end]");
    assertRefused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}", 4,
        "integers in [0, 2^63)");
    assertRefused("{\"__metadata__\":{\"k\":1}}", 0, "value of \"k\" is not a string");
  }

  @Test
  void refusesUnknownDtype() throws IOException {
    assertRefused(one("F12", "[1]", 0, 4), 4, "unknown dtype \"F12\"");
  }

  @Test
  void refusesOffsetsThatDoNotMatchShapeTimesDtype() throws IOException {
    assertRefused(one("F32", "[2]", 0, 4), 4, "needs 8");
    assertRefused(one("F32", "[4611686018427387904,4]", 0, 4), 4, "overflows");
  }

  @Test
  void refusesOverlappingGapsAndReversedOffsets() throws IOException {
    String overlap = "{" + entry("a", "U8", "[4]", 0, 4) + "," + entry("b", "U8", "[4]", 2, 6) + "}";
    assertRefused(overlap, 6, "overlap the previous tensor");
    String gap = "{" + entry("a", "U8", "[2]", 0, 2) + "," + entry("b", "U8", "[2]", 3, 5) + "}";
    assertRefused(gap, 5, "leave a gap");
    assertRefused(one("U8", "[0]", 4, 2), 4, "end before they start");
    assertRefused(one("U8", "[4]", 0, 4), 2, "out of range");
  }

  @Test
  void refusesDataNotCoveringTheBuffer() throws IOException {
    assertRefused(one("U8", "[4]", 0, 4), 6, "data not covering the buffer");
  }
}
