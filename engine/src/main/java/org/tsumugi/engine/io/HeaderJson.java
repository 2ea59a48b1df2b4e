package org.tsumugi.engine.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a header exactly as the safetensors library does: compact serde_json ({@code __metadata__} first, then the
 * tensors in data order), padded with spaces to a multiple of 8 bytes (reference/lora-and-ema.md §1.10).
 */
final class HeaderJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private HeaderJson() {}

  static byte[] render(Optional<Map<String, String>> metadata, List<TensorInfo> entries) {
    StringBuilder json = new StringBuilder(64 + 96 * entries.size());
    json.append('{');
    metadata.ifPresent(md -> {
      string(json, HeaderParser.METADATA_KEY).append(":{");
      md.forEach((k, v) -> {
        string(json, k).append(':');
        string(json, v).append(',');
      });
      trimComma(json).append("},");
    });
    for (TensorInfo t : entries) {
      string(json, t.name()).append(":{\"dtype\":\"").append(t.dtype().headerName()).append("\",\"shape\":");
      json.append(Arrays.toString(t.shape()).replace(" ", ""));
      json.append(",\"data_offsets\":[").append(t.dataStart()).append(',').append(t.dataEnd()).append("]},");
    }
    trimComma(json).append('}');
    byte[] utf8 = utf8(json);
    int padded = (utf8.length + 7) & ~7;
    byte[] out = Arrays.copyOf(utf8, padded);
    Arrays.fill(out, utf8.length, padded, (byte) ' ');
    return out;
  }

  private static StringBuilder trimComma(StringBuilder json) {
    if (json.charAt(json.length() - 1) == ',') {
      json.setLength(json.length() - 1);
    }
    return json;
  }

  /** serde_json string escaping: quote, backslash, \b \f \n \r \t, other controls as \\u00xx; the rest raw. */
  static StringBuilder string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }

  private static byte[] utf8(CharSequence json) {
    var encoder = StandardCharsets.UTF_8.newEncoder();
    try {
      var bytes = encoder.encode(java.nio.CharBuffer.wrap(json));
      return Arrays.copyOf(bytes.array(), bytes.limit());
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalArgumentException("a tensor name or metadata text holds an unpaired UTF-16 surrogate, which"
          + " UTF-8 (and so safetensors) cannot store", e);
    }
  }
}
