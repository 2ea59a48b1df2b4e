package org.tsumugi.config;

/**
 * The lexical side of {@link PythonLiteralParser}: whitespace, numbers, string literals and names, following Python 3's
 * rules (digit-group underscores, no leading zeros in decimal ints, escape sequences, raw strings).
 */
final class PythonTokens {
  private final String text;
  private final KeyLocation where;
  private int pos;

  PythonTokens(String text, KeyLocation where) {
    this.text = text;
    this.where = where;
  }

  ConfigError fail(String what) {
    return where.error(where.key() + ": the Python literal [" + text + "] " + what);
  }

  int position() {
    return pos;
  }

  boolean atEnd() {
    return pos >= text.length();
  }

  char peek() {
    return text.charAt(pos);
  }

  boolean peekIs(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  void advance() {
    pos++;
  }

  void expect(char c) {
    if (!peekIs(c)) {
      throw fail("misses '" + c + "' at column " + (pos + 1));
    }
    pos++;
  }

  void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  String identifier() {
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    return text.substring(start, pos);
  }

  /** A number with at most one sign in front, as literal_eval allows ({@code -1}, {@code +2e-4}; not {@code --1}). */
  PythonLiteral number() {
    boolean negative = false;
    if (peek() == '+' || peek() == '-') {
      negative = peek() == '-';
      pos++;
      skipSpace();
    }
    if (atEnd() || !(Character.isDigit(peek()) || (peek() == '.' && pos + 1 < text.length()
        && Character.isDigit(text.charAt(pos + 1))))) {
      throw fail("has a sign or '.' without a number at column " + pos);
    }
    int start = pos;
    PythonLiteral value = unsignedNumber();
    if (pos < text.length() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '.')) {
      String rest = peek() == 'j' || peek() == 'J' ? " (complex numbers are not supported)" : "";
      throw fail("has a malformed number starting at column " + (start + 1) + rest);
    }
    if (!negative) {
      return value;
    }
    if (value instanceof PythonLiteral.PyInt i) {
      return new PythonLiteral.PyInt(-i.value());
    }
    return new PythonLiteral.PyFloat(-((PythonLiteral.PyFloat) value).value());
  }

  private PythonLiteral unsignedNumber() {
    if (peek() == '0' && pos + 1 < text.length() && "xXoObB".indexOf(text.charAt(pos + 1)) >= 0) {
      int radix = switch (Character.toLowerCase(text.charAt(pos + 1))) {
        case 'x' -> 16;
        case 'o' -> 8;
        default -> 2;
      };
      pos += 2;
      if (peekIs('_')) {
        pos++;
      }
      return integer(digits(radix), radix);
    }
    String whole = peekIs('.') ? "" : digits(10);
    boolean isFloat = false;
    StringBuilder number = new StringBuilder(whole);
    if (peekIs('.')) {
      isFloat = true;
      pos++;
      number.append('.');
      if (pos < text.length() && Character.isDigit(peek())) {
        number.append(digits(10));
      }
    }
    if (pos < text.length() && (peek() == 'e' || peek() == 'E')) {
      isFloat = true;
      pos++;
      number.append('e');
      if (peekIs('+') || peekIs('-')) {
        number.append(peek());
        pos++;
      }
      number.append(digits(10));
    }
    if (isFloat) {
      return new PythonLiteral.PyFloat(Double.parseDouble(number.toString()));
    }
    if (whole.length() > 1 && whole.charAt(0) == '0' && !whole.chars().allMatch(ch -> ch == '0')) {
      throw fail("has an integer with leading zeros [" + whole + "] (Python 3 refuses them; use 0o for octal)");
    }
    return integer(whole, 10);
  }

  /** Digits of one radix with single underscores between them (Python's digit grouping). */
  private String digits(int radix) {
    StringBuilder out = new StringBuilder();
    while (pos < text.length()) {
      char c = peek();
      if (Character.digit(c, radix) >= 0 && c < 128) {
        out.append(c);
        pos++;
      } else if (c == '_' && out.length() > 0 && pos + 1 < text.length()
          && Character.digit(text.charAt(pos + 1), radix) >= 0 && text.charAt(pos + 1) < 128) {
        pos++;
      } else {
        break;
      }
    }
    if (out.length() == 0) {
      throw fail("has a number without digits at column " + (pos + 1));
    }
    return out.toString();
  }

  private PythonLiteral integer(String digits, int radix) {
    try {
      return new PythonLiteral.PyInt(Long.parseLong(digits, radix));
    } catch (NumberFormatException e) {
      throw fail("has an integer too large for 64 bits [" + digits + "]");
    }
  }

  /** Whether a string literal (with an optional prefix such as r, u, rb, f) starts here. */
  boolean startsString() {
    int i = pos;
    while (i < text.length() && i - pos < 2 && "rRuUbBfF".indexOf(text.charAt(i)) >= 0) {
      i++;
    }
    return i < text.length() && (text.charAt(i) == '\'' || text.charAt(i) == '"');
  }

  /** One or more adjacent string literals, concatenated as Python does ({@code 'a' "b"} is {@code 'ab'}). */
  String strings() {
    StringBuilder out = new StringBuilder();
    do {
      out.append(oneString());
      int save = pos;
      skipSpace();
      if (atEnd() || !startsString()) {
        pos = save;
        break;
      }
    } while (true);
    return out.toString();
  }

  private String oneString() {
    int start = pos;
    String prefix = identifierPrefix();
    String lower = prefix.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("b") || lower.contains("f") || lower.equals("ur") || lower.equals("ru")
        || lower.equals("uu") || lower.equals("rr")) {
      throw fail("has a string prefix '" + prefix + "' at column " + (start + 1)
          + " that is not supported (use '', r'' or u'')");
    }
    boolean raw = lower.contains("r");
    char quote = peek();
    boolean triple = text.startsWith(String.valueOf(quote).repeat(3), pos);
    pos += triple ? 3 : 1;
    return new PythonStringBody(text, pos, quote, triple, raw, this::fail).read(this::moveTo);
  }

  private String identifierPrefix() {
    int start = pos;
    while (peek() != '\'' && peek() != '"') {
      pos++;
    }
    return text.substring(start, pos);
  }

  private void moveTo(int newPos) {
    pos = newPos;
  }
}
