package org.tsumugi.config.dataset;

/**
 * One value of a dataset file with its place ({@code dataset.toml:12}), whichever syntax it came from.
 *
 * @param value a String, Long, Double, Boolean, {@code List<SourceValue>}, {@link SourceTable}, null (HOCON null) or
 *     another object for types the schema never accepts (TOML dates)
 */
record SourceValue(Object value, String where) {

  /** How the value is named in messages. */
  String describe() {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return "the string \"" + s + "\"";
    }
    if (value instanceof Long || value instanceof Double) {
      return "the number " + value;
    }
    if (value instanceof Boolean) {
      return "the boolean " + value;
    }
    if (value instanceof java.util.List) {
      return "a list";
    }
    if (value instanceof SourceTable) {
      return "a table";
    }
    return "a " + value.getClass().getSimpleName();
  }
}
