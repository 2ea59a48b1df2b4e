package org.tsumugi.config;

import java.util.ArrayList;
import java.util.List;

/** Recursive-descent reader behind {@link PythonLiteral#parse}; strings and numbers are scanned by {@link PythonTokens}. */
final class PythonLiteralParser {
  /** Deeper nesting is refused rather than risking the stack on hostile input. */
  private static final int MAX_DEPTH = 100;

  private final PythonTokens tokens;
  private int depth;

  PythonLiteralParser(String text, KeyLocation where) {
    this.tokens = new PythonTokens(text, where);
  }

  PythonLiteral parseTop() {
    tokens.skipSpace();
    if (tokens.atEnd()) {
      throw tokens.fail("is empty");
    }
    PythonLiteral value = parseSequenceOrValue(true);
    tokens.skipSpace();
    if (!tokens.atEnd()) {
      throw tokens.fail("has unexpected text at column " + (tokens.position() + 1));
    }
    return value;
  }

  /** expr ("," expr)* [","]: a comma makes a tuple (Python's bare tuple {@code 0.9,0.999}). */
  private PythonLiteral parseSequenceOrValue(boolean topLevel) {
    PythonLiteral first = parseValue();
    tokens.skipSpace();
    if (!tokens.peekIs(',')) {
      return first;
    }
    List<PythonLiteral> items = new ArrayList<>();
    items.add(first);
    while (tokens.peekIs(',')) {
      tokens.advance();
      tokens.skipSpace();
      if (tokens.atEnd() || (!topLevel && tokens.peekIs(')'))) {
        break;
      }
      items.add(parseValue());
      tokens.skipSpace();
    }
    return new PythonLiteral.PyTuple(items);
  }

  private PythonLiteral parseValue() {
    tokens.skipSpace();
    if (tokens.atEnd()) {
      throw tokens.fail("ends where a value was expected");
    }
    char c = tokens.peek();
    if (c == '(') {
      return nested(this::parseParenthesised);
    }
    if (c == '[') {
      return nested(this::parseList);
    }
    if (c == '{') {
      throw tokens.fail("contains a dict or set at column " + (tokens.position() + 1) + "; only numbers, strings, "
          + "True/False/None, tuples and lists are supported");
    }
    if (c == '+' || c == '-' || c == '.' || Character.isDigit(c)) {
      return tokens.number();
    }
    if (tokens.startsString()) {
      return new PythonLiteral.PyStr(tokens.strings());
    }
    if (Character.isLetter(c) || c == '_') {
      return name(tokens.identifier());
    }
    throw tokens.fail("has unexpected character '" + c + "' at column " + (tokens.position() + 1));
  }

  private PythonLiteral nested(java.util.function.Supplier<PythonLiteral> body) {
    if (++depth > MAX_DEPTH) {
      throw tokens.fail("is nested deeper than " + MAX_DEPTH + " levels");
    }
    try {
      return body.get();
    } finally {
      depth--;
    }
  }

  private PythonLiteral parseParenthesised() {
    tokens.advance();
    tokens.skipSpace();
    if (tokens.peekIs(')')) {
      tokens.advance();
      return new PythonLiteral.PyTuple(List.of());
    }
    PythonLiteral inner = parseSequenceOrValue(false);
    tokens.skipSpace();
    tokens.expect(')');
    return inner;
  }

  private PythonLiteral parseList() {
    tokens.advance();
    List<PythonLiteral> items = new ArrayList<>();
    tokens.skipSpace();
    while (!tokens.peekIs(']')) {
      items.add(parseValue());
      tokens.skipSpace();
      if (tokens.peekIs(',')) {
        tokens.advance();
        tokens.skipSpace();
      } else if (!tokens.peekIs(']')) {
        throw tokens.fail("misses ',' or ']' at column " + (tokens.position() + 1));
      }
    }
    tokens.advance();
    return new PythonLiteral.PyList(items);
  }

  private PythonLiteral name(String identifier) {
    return switch (identifier) {
      case "True" -> new PythonLiteral.PyBool(true);
      case "False" -> new PythonLiteral.PyBool(false);
      case "None" -> new PythonLiteral.PyNone();
      default -> throw tokens.fail("contains the name '" + identifier + "'; only True, False and None are literals"
          + " (quote strings: '" + identifier + "')");
    };
  }
}
