package org.tsumugi.engine.io;

/** The values each integer dtype can hold (U64 takes any long, read as unsigned bits). */
final class IntegerRange {
  private IntegerRange() {}

  static void check(String name, int index, long value, DType dtype) {
    long min;
    long max;
    switch (dtype) {
      case BOOL -> { min = 0; max = 1; }
      case U8 -> { min = 0; max = 0xFF; }
      case I8 -> { min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; }
      case U16 -> { min = 0; max = 0xFFFF; }
      case I16 -> { min = Short.MIN_VALUE; max = Short.MAX_VALUE; }
      case U32 -> { min = 0; max = 0xFFFF_FFFFL; }
      case I32 -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; }
      default -> { min = Long.MIN_VALUE; max = Long.MAX_VALUE; }
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException("tensor \"" + name + "\": value " + value + " at index " + index
          + " does not fit " + dtype + " [" + min + ", " + max + "]");
    }
  }
}
