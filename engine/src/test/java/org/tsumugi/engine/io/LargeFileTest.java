package org.tsumugi.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file past 2 GiB (beyond one ByteBuffer) is written and read back; its last tensor lies beyond byte 2^31. */
class LargeFileTest {
  private static final int CHUNK = 256 << 20;
  private static final int CHUNKS = 8;

  @TempDir Path dir;

  @Test
  void writesAndReadsAFileBeyondTwoGigabytes() throws IOException {
    ByteBuffer block = ByteBuffer.allocateDirect(CHUNK);
    for (int i = 0; i < CHUNK; i += 4096) {
      block.put(i, (byte) (i >>> 12));
    }
    List<TensorSource> tensors = new ArrayList<>();
    for (int c = 0; c < CHUNKS; c++) {
      tensors.add(new TensorData("big." + c, DType.U8, new long[] {CHUNK}, block.duplicate()));
    }
    tensors.add(TensorData.fromLongs("tail", new long[] {1, 254, 3}, new long[] {3}, DType.U8));
    Path file = dir.resolve("big.safetensors");
    SafetensorsWriter.write(file, Map.of("size", "large"), tensors);
    assertTrue(Files.size(file) > (long) CHUNKS * CHUNK);

    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      TensorInfo tail = f.info("tail");
      assertTrue(f.dataOffset() + tail.dataStart() > Integer.MAX_VALUE);
      assertArrayEquals(new long[] {1, 254, 3}, f.readLongs("tail"));
      ByteBuffer last = f.rawBytes("big." + (CHUNKS - 1));
      assertEquals(CHUNK, last.remaining());
      for (int i = 0; i < CHUNK; i += 4096 * 1021) {
        assertEquals((byte) (i >>> 12), last.get(i), "byte " + i + " of the last chunk");
      }
      assertEquals("large", f.metadata().get("size"));
    }
  }
}
