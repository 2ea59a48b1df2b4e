package org.tsumugi.config;

import java.util.function.Function;
import java.util.function.IntConsumer;

/** The inside of one Python string literal: escapes (non-raw), raw backslashes, triple quotes. */
final class PythonStringBody {
  private final String text;
  private final char quote;
  private final boolean triple;
  private final boolean raw;
  private final Function<String, ConfigError> fail;
  private final int start;
  private int pos;

  PythonStringBody(String text, int pos, char quote, boolean triple, boolean raw, Function<String, ConfigError> fail) {
    this.text = text;
    this.pos = pos;
    this.start = pos;
    this.quote = quote;
    this.triple = triple;
    this.raw = raw;
    this.fail = fail;
  }

  /** Reads up to and including the closing quote; reports the position after it. */
  String read(IntConsumer endPosition) {
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw fail.apply("has an unterminated string starting at column " + start);
      }
      char c = text.charAt(pos);
      if (closesHere()) {
        pos += triple ? 3 : 1;
        endPosition.accept(pos);
        return out.toString();
      }
      if (c == '\n' && !triple) {
        throw fail.apply("has a line break inside a single-quoted string starting at column " + start);
      }
      if (c == '\\') {
        backslash(out);
      } else {
        out.append(c);
        pos++;
      }
    }
  }

  private boolean closesHere() {
    if (triple) {
      return text.startsWith(String.valueOf(quote).repeat(3), pos);
    }
    return text.charAt(pos) == quote;
  }

  private void backslash(StringBuilder out) {
    if (pos + 1 >= text.length()) {
      throw fail.apply("has an unterminated string starting at column " + start);
    }
    char next = text.charAt(pos + 1);
    if (raw) {
      // In a raw string the backslash stays, and it keeps the next character (even a quote) from ending the string.
      out.append('\\').append(next);
      pos += 2;
      return;
    }
    pos += 2;
    switch (next) {
      case '\n' -> { }
      case '\\', '\'', '"' -> out.append(next);
      case 'a' -> out.append('\u0007');
      case 'b' -> out.append('\b');
      case 'f' -> out.append('\f');
      case 'n' -> out.append('\n');
      case 'r' -> out.append('\r');
      case 't' -> out.append('\t');
      case 'v' -> out.append('\u000B');
      case 'x' -> out.appendCodePoint(hex(2, "\\x"));
      case 'u' -> out.appendCodePoint(hex(4, "\\u"));
      case 'U' -> out.appendCodePoint(hex(8, "\\U"));
      case 'N' -> out.appendCodePoint(namedCharacter());
      default -> {
        if (next >= '0' && next <= '7') {
          out.append((char) octal(next));
        } else {
          // Python keeps unknown escapes as they are (backslash included), e.g. '\.' in a regex.
          out.append('\\').append(next);
        }
      }
    }
  }

  private int octal(char first) {
    int value = first - '0';
    for (int n = 1; n < 3 && pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '7'; n++) {
      value = value * 8 + (text.charAt(pos) - '0');
      pos++;
    }
    return value;
  }

  private int hex(int count, String escape) {
    if (pos + count > text.length()) {
      throw fail.apply("has a truncated " + escape + " escape at column " + (pos - 1));
    }
    int value = 0;
    for (int i = 0; i < count; i++) {
      int digit = Character.digit(text.charAt(pos + i), 16);
      if (digit < 0 || text.charAt(pos + i) > 127) {
        throw fail.apply("has a truncated " + escape + " escape at column " + (pos - 1));
      }
      value = value * 16 + digit;
    }
    if (value < 0 || value > Character.MAX_CODE_POINT) {
      throw fail.apply("has an escape " + escape + " beyond the last Unicode code point at column " + (pos - 1));
    }
    pos += count;
    return value;
  }

  private int namedCharacter() {
    int close = text.indexOf('}', pos);
    if (pos >= text.length() || text.charAt(pos) != '{' || close < 0) {
      throw fail.apply("has a malformed \\N{...} escape at column " + (pos - 1));
    }
    String name = text.substring(pos + 1, close);
    try {
      int codePoint = Character.codePointOf(name);
      pos = close + 1;
      return codePoint;
    } catch (IllegalArgumentException e) {
      throw fail.apply("has an unknown character name \\N{" + name + "}");
    }
  }
}
