package org.tsumugi.engine.optim;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A value of {@code optimizer_args} as the reference reads it with Python's {@code ast.literal_eval}: numbers,
 * True/False/None, quoted strings, tuples (also bare {@code 0.9,0.999}) and lists. {@link #str()} is Python's
 * {@code str()}, which the reference uses to write the {@code ss_optimizer} metadata.
 */
public sealed interface PythonLiteral {

  /** Parses one literal; a malformed one fails with {@link PythonLiteralParser.SyntaxError}. */
  static PythonLiteral parse(String text) {
    return new PythonLiteralParser(text).parseTop();
  }

  /** Python's {@code repr()}. */
  String repr();

  /** Python's {@code str()}: a string unquoted, everything else as repr. */
  default String str() {
    return repr();
  }

  /** A Python type name for messages. */
  String typeName();

  record Int(long value) implements PythonLiteral {
    @Override
    public String repr() {
      return Long.toString(value);
    }

    @Override
    public String typeName() {
      return "int";
    }
  }

  record Float(double value) implements PythonLiteral {
    @Override
    public String repr() {
      return PythonFloat.repr(value);
    }

    @Override
    public String typeName() {
      return "float";
    }
  }

  record Bool(boolean value) implements PythonLiteral {
    @Override
    public String repr() {
      return value ? "True" : "False";
    }

    @Override
    public String typeName() {
      return "bool";
    }
  }

  record None() implements PythonLiteral {
    @Override
    public String repr() {
      return "None";
    }

    @Override
    public String typeName() {
      return "NoneType";
    }
  }

  record Str(String value) implements PythonLiteral {
    @Override
    public String repr() {
      return PythonFloat.quote(value);
    }

    @Override
    public String str() {
      return value;
    }

    @Override
    public String typeName() {
      return "str";
    }
  }

  record Tuple(List<PythonLiteral> items) implements PythonLiteral {
    public Tuple {
      items = List.copyOf(items);
    }

    @Override
    public String repr() {
      String inner = items.stream().map(PythonLiteral::repr).collect(Collectors.joining(", "));
      return "(" + inner + (items.size() == 1 ? ",)" : ")");
    }

    @Override
    public String typeName() {
      return "tuple";
    }
  }

  record ListValue(List<PythonLiteral> items) implements PythonLiteral {
    public ListValue {
      items = List.copyOf(items);
    }

    @Override
    public String repr() {
      return items.stream().map(PythonLiteral::repr).collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public String typeName() {
      return "list";
    }
  }
}
