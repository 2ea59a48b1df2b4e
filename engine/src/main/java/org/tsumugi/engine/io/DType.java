package org.tsumugi.engine.io;

import java.util.Arrays;

/**
 * A safetensors element type. The declaration order is the safetensors library's own (it sorts tensors by it when
 * writing, reference/lora-and-ema.md §1.10), so {@link #compareTo} gives that order.
 */
public enum DType {
  BOOL(1, Kind.BOOLEAN),
  U8(1, Kind.INTEGER),
  I8(1, Kind.INTEGER),
  F8_E5M2(1, Kind.FLOATING),
  F8_E4M3(1, Kind.FLOATING),
  I16(2, Kind.INTEGER),
  U16(2, Kind.INTEGER),
  F16(2, Kind.FLOATING),
  BF16(2, Kind.FLOATING),
  I32(4, Kind.INTEGER),
  U32(4, Kind.INTEGER),
  F32(4, Kind.FLOATING),
  F64(8, Kind.FLOATING),
  I64(8, Kind.INTEGER),
  U64(8, Kind.INTEGER);

  private enum Kind { BOOLEAN, INTEGER, FLOATING }

  private final int byteSize;
  private final Kind kind;

  DType(int byteSize, Kind kind) {
    this.byteSize = byteSize;
    this.kind = kind;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  public boolean isFloatingPoint() {
    return kind == Kind.FLOATING;
  }

  /** True for BOOL and the integer types: the ones {@code readLongs} accepts. */
  public boolean isIntegral() {
    return kind != Kind.FLOATING;
  }

  /** The name used in a safetensors header ("F32", "BF16", ...). */
  public String headerName() {
    return name();
  }

  /**
   * The dtype a header names.
   *
   * @throws IllegalArgumentException naming the unknown value and the allowed ones
   */
  public static DType fromHeader(String name) {
    for (DType d : values()) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown dtype \"" + name + "\"; allowed: " + Arrays.toString(values()));
  }
}
