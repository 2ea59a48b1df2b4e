package org.tsumugi.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A value read the way the reference reads {@code optimizer_args}, {@code lr_scheduler_args} and the pattern lists of
 * {@code network_args}: Python's {@code ast.literal_eval} (reference/training.md §4.2, reference/lora-and-ema.md §1.3).
 * Numbers, booleans, None, strings (r/u prefixes, both quote styles, triple quotes, escapes, implicit concatenation),
 * tuples (also bare: {@code 0.9,0.999}) and lists. Dicts, sets, bytes and complex numbers are refused.
 */
public sealed interface PythonLiteral {

  /** Python's {@code repr()}. */
  default String repr() {
    if (this instanceof PyInt i) {
      return Long.toString(i.value());
    }
    if (this instanceof PyFloat f) {
      return PythonText.repr(f.value());
    }
    if (this instanceof PyBool b) {
      return b.value() ? "True" : "False";
    }
    if (this instanceof PyStr s) {
      return PythonText.quote(s.value());
    }
    if (this instanceof PyTuple t) {
      String inner = t.items().stream().map(PythonLiteral::repr).collect(java.util.stream.Collectors.joining(", "));
      return "(" + inner + (t.items().size() == 1 ? ",)" : ")");
    }
    if (this instanceof PyList l) {
      return l.items().stream().map(PythonLiteral::repr).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }
    return "None";
  }

  /** Python's {@code str()}: a string unquoted, everything else as its repr. */
  default String str() {
    return this instanceof PyStr s ? s.value() : repr();
  }

  /** Python's type name, for messages. */
  default String typeName() {
    if (this instanceof PyInt) {
      return "int";
    }
    if (this instanceof PyFloat) {
      return "float";
    }
    if (this instanceof PyBool) {
      return "bool";
    }
    if (this instanceof PyStr) {
      return "str";
    }
    if (this instanceof PyTuple) {
      return "tuple";
    }
    return this instanceof PyList ? "list" : "NoneType";
  }

  record PyInt(long value) implements PythonLiteral {}

  record PyFloat(double value) implements PythonLiteral {}

  record PyBool(boolean value) implements PythonLiteral {}

  record PyNone() implements PythonLiteral {}

  record PyStr(String value) implements PythonLiteral {}

  record PyTuple(List<PythonLiteral> items) implements PythonLiteral {
    public PyTuple {
      items = List.copyOf(items);
    }
  }

  record PyList(List<PythonLiteral> items) implements PythonLiteral {
    public PyList {
      items = List.copyOf(items);
    }
  }

  /**
   * Parses {@code text} as one Python literal.
   *
   * @param where the option the text came from, named in the error
   * @throws ConfigError when the text is not a literal the reference would accept
   */
  static PythonLiteral parse(String text, KeyLocation where) {
    return new PythonLiteralParser(text, where).parseTop();
  }

  /** Parses a list of strings such as {@code [r'.*single_blocks.*', r'.*double_blocks\.[0-9]\..*']}. */
  static List<String> parseStringList(String text, KeyLocation where) {
    PythonLiteral value = parse(text, where);
    if (!(value instanceof PyList list)) {
      throw where.error(where.key() + " must be a Python list of strings such as [r'.*blocks.*'], got ["
          + text + "]");
    }
    List<String> strings = new ArrayList<>();
    for (PythonLiteral item : list.items()) {
      if (!(item instanceof PyStr s)) {
        throw where.error(where.key() + " must be a Python list of strings such as [r'.*blocks.*'], got ["
            + text + "] (an item is not a string)");
      }
      strings.add(s.value());
    }
    return List.copyOf(strings);
  }
}
