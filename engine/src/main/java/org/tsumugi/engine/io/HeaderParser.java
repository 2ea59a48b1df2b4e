package org.tsumugi.engine.io;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses a safetensors header: a JSON object of tensor entries plus an optional {@code __metadata__} object of
 * string values, followed by nothing but whitespace. Duplicate keys are refused; unknown fields inside a tensor entry
 * are ignored (as serde does for the library).
 */
final class HeaderParser {
  static final String METADATA_KEY = "__metadata__";

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxStringLength(SafetensorsFile.MAX_HEADER_BYTES)
          .maxNestingDepth(64)
          .build())
      .build();

  private final Path file;
  private final JsonParser json;

  private HeaderParser(Path file, JsonParser json) {
    this.file = file;
    this.json = json;
  }

  static SafetensorsHeader parse(Path file, byte[] header, long dataLength) throws SafetensorsFormatException {
    try (JsonParser json = JSON.createParser(header)) {
      return new HeaderParser(file, json).header(dataLength);
    } catch (JacksonException e) {
      throw new SafetensorsFormatException(file, "invalid JSON header: " + e.getOriginalMessage()
          + " (at header byte " + e.getLocation().getByteOffset() + ")", e);
    } catch (SafetensorsFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new SafetensorsFormatException(file, "invalid JSON header: " + e.getMessage(), e);
    }
  }

  private SafetensorsHeader header(long dataLength) throws IOException {
    expect(json.nextToken(), JsonToken.START_OBJECT, "the header must be a JSON object");
    Optional<Map<String, String>> metadata = Optional.empty();
    List<TensorInfo> tensors = new ArrayList<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String key = json.currentName();
      JsonToken value = json.nextToken();
      if (key.equals(METADATA_KEY)) {
        metadata = value == JsonToken.VALUE_NULL ? Optional.empty() : Optional.of(metadata(value));
      } else {
        tensors.add(tensor(key, value));
      }
    }
    JsonToken trailing = json.nextToken();
    if (trailing != null) {
      throw fault("unexpected " + trailing + " after the header object (only space padding may follow)");
    }
    return SafetensorsHeader.validated(file, metadata, tensors, dataLength);
  }

  private Map<String, String> metadata(JsonToken start) throws IOException {
    expect(start, JsonToken.START_OBJECT, "__metadata__ must be an object of strings");
    Map<String, String> values = new LinkedHashMap<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String key = json.currentName();
      if (json.nextToken() != JsonToken.VALUE_STRING) {
        throw fault("__metadata__ value of \"" + key + "\" is not a string");
      }
      values.put(key, json.getText());
    }
    return values;
  }

  private TensorInfo tensor(String name, JsonToken start) throws IOException {
    expect(start, JsonToken.START_OBJECT, "tensor \"" + name + "\" must be an object");
    DType dtype = null;
    long[] shape = null;
    long[] offsets = null;
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      JsonToken value = json.nextToken();
      switch (field) {
        case "dtype" -> dtype = dtype(name, value);
        case "shape" -> shape = naturals(name, "shape", value);
        case "data_offsets" -> offsets = naturals(name, "data_offsets", value);
        default -> json.skipChildren();
      }
    }
    if (dtype == null || shape == null || offsets == null) {
      throw fault("tensor \"" + name + "\" lacks " + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
    }
    if (offsets.length != 2) {
      throw fault("tensor \"" + name + "\": data_offsets must be [start, end], got " + offsets.length + " numbers");
    }
    return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
  }

  private DType dtype(String name, JsonToken value) throws IOException {
    if (value != JsonToken.VALUE_STRING) {
      throw fault("tensor \"" + name + "\": dtype must be a string");
    }
    try {
      return DType.fromHeader(json.getText());
    } catch (IllegalArgumentException e) {
      throw fault("tensor \"" + name + "\": " + e.getMessage());
    }
  }

  private long[] naturals(String name, String field, JsonToken start) throws IOException {
    expect(start, JsonToken.START_ARRAY, "tensor \"" + name + "\": " + field + " must be an array of integers");
    long[] values = new long[4];
    int n = 0;
    JsonToken t;
    while ((t = json.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_INT || json.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          || json.getLongValue() < 0) {
        throw fault("tensor \"" + name + "\": " + field + " must hold integers in [0, 2^63), found "
            + json.getText());
      }
      if (n == values.length) {
        values = Arrays.copyOf(values, 2 * n);
      }
      values[n++] = json.getLongValue();
    }
    return Arrays.copyOf(values, n);
  }

  private void expect(JsonToken actual, JsonToken expected, String what) throws SafetensorsFormatException {
    if (actual != expected) {
      throw fault(what + " (found " + actual + ")");
    }
  }

  private SafetensorsFormatException fault(String what) {
    return new SafetensorsFormatException(file, what);
  }
}
