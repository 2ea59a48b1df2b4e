package org.tsumugi.engine.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where everything goes in a file the safetensors library would write: tensors sorted by dtype descending then by
 * name (UTF-8 byte order), offsets contiguous from 0, and the padded header.
 */
record SafetensorsLayout(List<TensorSource> order, List<TensorInfo> entries, byte[] header) {

  static SafetensorsLayout plan(Optional<Map<String, String>> metadata, List<? extends TensorSource> tensors) {
    List<TensorSource> order = sorted(tensors);
    List<TensorInfo> entries = new ArrayList<>(order.size());
    long offset = 0;
    for (TensorSource t : order) {
      long bytes = Math.multiplyExact(TensorInfo.numel(t.shape()), t.dtype().byteSize());
      entries.add(new TensorInfo(t.name(), t.dtype(), t.shape(), offset, offset + bytes));
      offset += bytes;
    }
    return new SafetensorsLayout(List.copyOf(order), List.copyOf(entries), HeaderJson.render(metadata, entries));
  }

  private static List<TensorSource> sorted(List<? extends TensorSource> tensors) {
    Set<String> names = new HashSet<>();
    for (TensorSource t : tensors) {
      if (t.name().equals(HeaderParser.METADATA_KEY)) {
        throw new IllegalArgumentException("tensor name \"" + HeaderParser.METADATA_KEY + "\" is reserved");
      }
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("tensor name \"" + t.name() + "\" is given twice");
      }
    }
    List<TensorSource> order = new ArrayList<>(tensors);
    order.sort(Comparator.<TensorSource, DType>comparing(TensorSource::dtype).reversed()
        .thenComparing((a, b) -> Arrays.compareUnsigned(utf8(a.name()), utf8(b.name()))));
    return order;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  long dataLength() {
    return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).dataEnd();
  }

  long dataOffset() {
    return 8L + header.length;
  }

  /** The 8-byte little-endian header length followed by the header. */
  byte[] prefix() {
    ByteBuffer out = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(header.length).put(header);
    return out.array();
  }
}
