package org.tsumugi.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tsumugi.engine.io.RawSafetensors.entry;
import static org.tsumugi.engine.io.RawSafetensors.le;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading hand-built files: every dtype, metadata, file order, lazy windows. */
class SafetensorsFileTest {
  @TempDir Path dir;

  @Test
  void readsEveryDtype() throws IOException {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    StringBuilder header = new StringBuilder("{\"__metadata__\":{\"b\":\"2\",\"a\":\"1\"}");
    Object[][] cases = {
        {"f64", "F64", le(0, 0, 0, 0, 0, 0, 0xF8, 0x3F)}, // 1.5
        {"f32", "F32", le(0, 0, 0x20, 0xC0)}, // -2.5
        {"bf16", "BF16", le(0x80, 0x3F, 0xC0, 0x7F)}, // 1.0, NaN
        {"f16", "F16", le(0x00, 0x3C, 0x01, 0x00)}, // 1.0, 2^-24
        {"e4m3", "F8_E4M3", le(0x38, 0x7E)}, // 1.0, 448
        {"e5m2", "F8_E5M2", le(0x3C, 0xFC)}, // 1.0, -Inf
        {"i64", "I64", le(0xFB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)}, // -5
        {"u64", "U64", le(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)}, // 2^64-1 → -1 bits
        {"i32", "I32", le(0x00, 0x00, 0x00, 0x80)}, // Integer.MIN_VALUE
        {"u32", "U32", le(0xFF, 0xFF, 0xFF, 0xFF)}, // 4294967295
        {"i16", "I16", le(0xFE, 0xFF)}, // -2
        {"u16", "U16", le(0xFF, 0xFF)}, // 65535
        {"i8", "I8", le(0xFF)}, // -1
        {"u8", "U8", le(0xFF)}, // 255
        {"bool", "BOOL", le(0x01, 0x00)}};
    for (Object[] c : cases) {
      byte[] bytes = (byte[]) c[2];
      int elements = bytes.length / DType.fromHeader((String) c[1]).byteSize();
      header.append(',').append(entry((String) c[0], (String) c[1], "[" + elements + "]", data.size(),
          data.size() + bytes.length));
      data.write(bytes);
    }
    Path file = RawSafetensors.write(dir, "all.safetensors",
        RawSafetensors.bytes(header.append('}').toString(), data.toByteArray()));
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertEquals(List.of("b", "a"), List.copyOf(f.metadata().keySet()));
      assertArrayEquals(new float[] {1.5f}, f.readFloats("f64"));
      assertArrayEquals(new float[] {-2.5f}, f.readFloats("f32"));
      assertArrayEquals(new float[] {1f, Float.NaN}, f.readFloats("bf16"));
      float[] reused = {9, 9, 9};
      assertArrayEquals(new float[] {1f, 0x1p-24f, 9}, f.readFloats("f16", reused), "fills the front of dst");
      assertThrows(IllegalArgumentException.class, () -> f.readFloats("f16", new float[1]));
      assertArrayEquals(new float[] {1f, 0x1p-24f}, f.readFloats("f16"));
      assertArrayEquals(new float[] {1f, 448f}, f.readFloats("e4m3"));
      assertArrayEquals(new float[] {1f, Float.NEGATIVE_INFINITY}, f.readFloats("e5m2"));
      assertArrayEquals(new long[] {-5}, f.readLongs("i64"));
      assertArrayEquals(new long[] {-1}, f.readLongs("u64"));
      assertArrayEquals(new long[] {Integer.MIN_VALUE}, f.readLongs("i32"));
      assertArrayEquals(new long[] {4294967295L}, f.readLongs("u32"));
      assertArrayEquals(new long[] {-2}, f.readLongs("i16"));
      assertArrayEquals(new long[] {65535}, f.readLongs("u16"));
      assertArrayEquals(new long[] {-1}, f.readLongs("i8"));
      assertArrayEquals(new long[] {255}, f.readLongs("u8"));
      assertArrayEquals(new long[] {1, 0}, f.readLongs("bool"));
      assertEquals(8 + f.headerLength(), f.dataOffset());
    }
  }

  @Test
  void listsTensorsInDataOrderAndNamesTheFileWhenATensorIsMissing() throws IOException {
    String header = "{" + entry("second", "U8", "[2]", 1, 3) + "," + entry("first", "U8", "[1]", 0, 1) + "}";
    Path file = RawSafetensors.write(dir, "order.safetensors", RawSafetensors.bytes(header, le(7, 8, 9)));
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertEquals(List.of(new TensorInfo("first", DType.U8, new long[] {1}, 0, 1),
          new TensorInfo("second", DType.U8, new long[] {2}, 1, 3)), f.tensors());
      assertFalse(f.hasMetadata());
      assertEquals(Map.of(), f.metadata());
      var missing = assertThrows(IllegalArgumentException.class, () -> f.info("third"));
      assertTrue(missing.getMessage().contains("order.safetensors") && missing.getMessage().contains("third"));
      var wrongKind = assertThrows(IllegalArgumentException.class, () -> f.readFloats("first"));
      assertTrue(wrongKind.getMessage().contains("U8"));
    }
  }

  @Test
  void rawBytesAreReadOnlyLittleEndianViews() throws IOException {
    String header = "{" + entry("x", "I32", "[1]", 0, 4) + "}";
    Path file = RawSafetensors.write(dir, "x.safetensors", RawSafetensors.bytes(header, le(1, 2, 0, 0)));
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      ByteBuffer raw = f.rawBytes("x");
      assertTrue(raw.isReadOnly());
      assertEquals(0x0201, raw.getInt(0));
    }
  }

  @Test
  void spansAcrossWindowBoundariesReadCorrectly() throws IOException {
    // many tensors of varied sizes with a 16-byte window stride: spans straddle windows or exceed the stride
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    StringBuilder header = new StringBuilder("{");
    int[] sizes = {3, 17, 5, 40, 1, 16, 15, 33, 2};
    for (int i = 0; i < sizes.length; i++) {
      header.append(i == 0 ? "" : ",").append(entry("t" + i, "U8", "[" + sizes[i] + "]", data.size(),
          data.size() + sizes[i]));
      for (int b = 0; b < sizes[i]; b++) {
        data.write(i * 16 + b);
      }
    }
    Path file = RawSafetensors.write(dir, "windows.safetensors",
        RawSafetensors.bytes(header.append('}').toString(), data.toByteArray()));
    try (SafetensorsFile f = SafetensorsFile.open(file, 16)) {
      for (int i = 0; i < sizes.length; i++) {
        long[] values = f.readLongs("t" + i);
        for (int b = 0; b < sizes[i]; b++) {
          assertEquals((i * 16 + b) & 0xFF, values[b], "t" + i + "[" + b + "]");
        }
      }
    }
  }

  @Test
  void refusesNewViewsAfterClose() throws IOException {
    String header = "{" + entry("x", "U8", "[1]", 0, 1) + "}";
    Path file = RawSafetensors.write(dir, "closed.safetensors", RawSafetensors.bytes(header, le(1)));
    SafetensorsFile f = SafetensorsFile.open(file);
    ByteBuffer before = f.rawBytes("x");
    f.close();
    assertEquals(1, before.get(0), "views taken before close stay valid");
    assertThrows(IllegalStateException.class, () -> f.rawBytes("x"));
  }
}
