package org.tsumugi.engine.optim;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** A recursive-descent reader of the literals {@code ast.literal_eval} accepts in {@code optimizer_args}. */
final class PythonLiteralParser {

  /** Text that is not a Python literal; the message quotes the text and the position. */
  static final class SyntaxError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    SyntaxError(String text, int position, String what) {
      super(what + " at character " + (position + 1) + " of [" + text + "]");
    }
  }

  private final String text;
  private int pos;

  PythonLiteralParser(String text) {
    this.text = text;
  }

  /** The whole text: one value, or a bare comma-separated tuple. */
  PythonLiteral parseTop() {
    skipSpace();
    PythonLiteral first = value();
    skipSpace();
    if (peek(',')) {
      pos++;
      List<PythonLiteral> items = new ArrayList<>(List.of(first));
      items.addAll(sequenceTail(-1));
      first = new PythonLiteral.Tuple(items);
    }
    skipSpace();
    if (pos != text.length()) {
      throw error("unexpected text");
    }
    return first;
  }

  private PythonLiteral value() {
    skipSpace();
    if (pos >= text.length()) {
      throw error("missing value");
    }
    char c = text.charAt(pos);
    if (c == '(') {
      return parenthesised();
    }
    if (c == '[') {
      pos++;
      return new PythonLiteral.ListValue(sequenceTail(']'));
    }
    if (c == '\'' || c == '"') {
      return string(c);
    }
    if (c == '-' || c == '+') {
      pos++;
      return signed(value(), c == '-');
    }
    if (Character.isDigit(c) || c == '.') {
      return number();
    }
    return name();
  }

  private PythonLiteral parenthesised() {
    pos++;
    skipSpace();
    if (peek(')')) {
      pos++;
      return new PythonLiteral.Tuple(List.of());
    }
    PythonLiteral first = value();
    skipSpace();
    if (peek(')')) {
      pos++;
      return first;
    }
    if (!peek(',')) {
      throw error("expected ',' or ')'");
    }
    pos++;
    List<PythonLiteral> items = new ArrayList<>(List.of(first));
    items.addAll(sequenceTail(')'));
    return new PythonLiteral.Tuple(items);
  }

  /** Items separated by commas, a trailing comma allowed, up to {@code close} (-1 = the end of the text). */
  private List<PythonLiteral> sequenceTail(int close) {
    List<PythonLiteral> items = new ArrayList<>();
    skipSpace();
    while (!atClose(close)) {
      items.add(value());
      skipSpace();
      if (peek(',')) {
        pos++;
        skipSpace();
      } else if (!atClose(close)) {
        throw error(close < 0 ? "expected ','" : "expected ',' or '" + (char) close + "'");
      }
    }
    if (close >= 0) {
      pos++;
    }
    return items;
  }

  private boolean atClose(int close) {
    if (close < 0) {
      return pos == text.length();
    }
    if (pos == text.length()) {
      throw error("missing '" + (char) close + "'");
    }
    return text.charAt(pos) == close;
  }

  private PythonLiteral signed(PythonLiteral operand, boolean negative) {
    if (operand instanceof PythonLiteral.Int i) {
      return new PythonLiteral.Int(negative ? -i.value() : i.value());
    }
    if (operand instanceof PythonLiteral.Float f) {
      return new PythonLiteral.Float(negative ? -f.value() : f.value());
    }
    throw error("a sign applies only to numbers");
  }

  private PythonLiteral number() {
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.'
        || text.charAt(pos) == '_' || isExponentSign(pos))) {
      pos++;
    }
    String token = text.substring(start, pos).replace("_", "");
    String lower = token.toLowerCase();
    try {
      if (lower.startsWith("0x") || lower.startsWith("0o") || lower.startsWith("0b")) {
        int radix = lower.charAt(1) == 'x' ? 16 : lower.charAt(1) == 'o' ? 8 : 2;
        return integer(new BigInteger(token.substring(2), radix), start);
      }
      if (lower.matches("[0-9]+")) {
        if (lower.length() > 1 && lower.startsWith("0") && !lower.matches("0+")) {
          throw new SyntaxError(text, start, "leading zeros in a decimal integer");
        }
        return integer(new BigInteger(token), start);
      }
      if (lower.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?")) {
        return new PythonLiteral.Float(Double.parseDouble(token));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new SyntaxError(text, start, "not a number [" + token + "]");
  }

  private boolean isExponentSign(int at) {
    char c = text.charAt(at);
    return (c == '+' || c == '-') && at > 0 && Character.toLowerCase(text.charAt(at - 1)) == 'e'
        && !text.substring(0, at).toLowerCase().startsWith("0x");
  }

  private PythonLiteral integer(BigInteger value, int start) {
    if (value.bitLength() > 63) {
      throw new SyntaxError(text, start, "integer too large [" + value + "]");
    }
    return new PythonLiteral.Int(value.longValue());
  }

  private PythonLiteral name() {
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    String word = text.substring(start, pos);
    return switch (word) {
      case "True" -> new PythonLiteral.Bool(true);
      case "False" -> new PythonLiteral.Bool(false);
      case "None" -> new PythonLiteral.None();
      default -> throw new SyntaxError(text, start, "not a literal [" + (word.isEmpty()
          ? String.valueOf(text.charAt(start)) : word + "]; strings need quotes"));
    };
  }

  private PythonLiteral string(char quote) {
    int start = pos++;
    StringBuilder out = new StringBuilder();
    while (pos < text.length() && text.charAt(pos) != quote) {
      char c = text.charAt(pos++);
      if (c == '\\' && pos < text.length()) {
        char e = text.charAt(pos++);
        out.append(switch (e) {
          case 'n' -> '\n';
          case 't' -> '\t';
          case 'r' -> '\r';
          case '0' -> '\0';
          default -> e;
        });
      } else {
        out.append(c);
      }
    }
    if (pos >= text.length()) {
      throw new SyntaxError(text, start, "unterminated string");
    }
    pos++;
    return new PythonLiteral.Str(out.toString());
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private SyntaxError error(String what) {
    return new SyntaxError(text, pos, what);
  }
}
