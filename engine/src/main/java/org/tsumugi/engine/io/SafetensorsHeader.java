package org.tsumugi.engine.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed and validated header: {@code __metadata__} (empty when the file has none) and the tensors in file order
 * (ascending data offsets, as the safetensors library lays them out).
 */
record SafetensorsHeader(Optional<Map<String, String>> metadata, List<TensorInfo> tensors) {

  /**
   * Checks the rules the safetensors library enforces on load: offsets ordered, contiguous from 0 without overlap or
   * gap, each span equal to shape × dtype size, and together covering the whole data section.
   */
  static SafetensorsHeader validated(
      Path file, Optional<Map<String, String>> metadata, List<TensorInfo> entries, long dataLength)
      throws SafetensorsFormatException {
    List<TensorInfo> ordered = new ArrayList<>(entries);
    ordered.sort(Comparator.comparingLong(TensorInfo::dataStart).thenComparingLong(TensorInfo::dataEnd));
    long expectedStart = 0;
    for (TensorInfo t : ordered) {
      checkSpan(file, t, expectedStart, dataLength);
      expectedStart = t.dataEnd();
    }
    if (expectedStart != dataLength) {
      throw new SafetensorsFormatException(file, "the tensors cover " + expectedStart + " bytes of data but the file"
          + " holds " + dataLength + " bytes after the header (data not covering the buffer)");
    }
    return new SafetensorsHeader(metadata.map(Collections::unmodifiableMap), List.copyOf(ordered));
  }

  private static void checkSpan(Path file, TensorInfo t, long expectedStart, long dataLength)
      throws SafetensorsFormatException {
    String tensor = "tensor \"" + t.name() + "\"";
    if (t.dataEnd() < t.dataStart()) {
      throw new SafetensorsFormatException(file, tensor + ": data_offsets [" + t.dataStart() + "," + t.dataEnd()
          + "] end before they start");
    }
    if (t.dataEnd() > dataLength) {
      throw new SafetensorsFormatException(file, tensor + ": data_offsets [" + t.dataStart() + "," + t.dataEnd()
          + "] out of range: the data section holds " + dataLength + " bytes");
    }
    if (t.dataStart() < expectedStart) {
      throw new SafetensorsFormatException(file, tensor + ": data_offsets [" + t.dataStart() + "," + t.dataEnd()
          + "] overlap the previous tensor, which ends at " + expectedStart);
    }
    if (t.dataStart() > expectedStart) {
      throw new SafetensorsFormatException(file, tensor + ": data_offsets [" + t.dataStart() + "," + t.dataEnd()
          + "] leave a gap after byte " + expectedStart);
    }
    long expectedBytes;
    try {
      expectedBytes = Math.multiplyExact(t.numel(), t.dtype().byteSize());
    } catch (ArithmeticException e) {
      throw new SafetensorsFormatException(file, tensor + ": shape " + Arrays.toString(t.shape())
          + " overflows a 64-bit size");
    }
    if (expectedBytes != t.byteLength()) {
      throw new SafetensorsFormatException(file, tensor + ": data_offsets [" + t.dataStart() + "," + t.dataEnd()
          + "] span " + t.byteLength() + " bytes but shape " + Arrays.toString(t.shape()) + " x "
          + t.dtype() + " needs " + expectedBytes);
    }
  }
}
