package org.tsumugi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tsumugi.config.PythonLiteral.PyBool;
import org.tsumugi.config.PythonLiteral.PyFloat;
import org.tsumugi.config.PythonLiteral.PyInt;
import org.tsumugi.config.PythonLiteral.PyList;
import org.tsumugi.config.PythonLiteral.PyNone;
import org.tsumugi.config.PythonLiteral.PyStr;
import org.tsumugi.config.PythonLiteral.PyTuple;

/** Expected values are what Python 3's ast.literal_eval returns for the same text. */
class PythonLiteralTest {
  private static final KeyLocation AT = new KeyLocation("optimizer_args.x", "run.conf:3");

  private static PythonLiteral parse(String text) {
    return PythonLiteral.parse(text, AT);
  }

  @Test
  void readsTheDocsExcludePatternsExample() {
    // lora-and-ema.md §1.3: r-strings keep their backslashes.
    assertEquals(List.of(".*single_blocks.*", ".*double_blocks\\.[0-9]\\..*"),
        PythonLiteral.parseStringList("[r'.*single_blocks.*', r'.*double_blocks\\.[0-9]\\..*']", AT));
  }

  @Test
  void readsNumbersAsPythonDoes() {
    assertEquals(new PyFloat(0.01), parse("0.01"));
    assertEquals(new PyFloat(1e-4), parse("1e-4"));
    assertEquals(new PyFloat(-2e-6), parse("-2e-6"));
    assertEquals(new PyFloat(0.5), parse(".5"));
    assertEquals(new PyFloat(5.0), parse("5."));
    assertEquals(new PyInt(1000000), parse("1_000_000"));
    assertEquals(new PyInt(255), parse("0xff"));
    assertEquals(new PyInt(8), parse("0o10"));
    assertEquals(new PyInt(5), parse("0b101"));
    assertEquals(new PyInt(0), parse("000"));
    assertEquals(new PyInt(-3), parse("- 3"));
    assertEquals(new PyInt(7), parse("+7"));
  }

  @Test
  void readsConstantsTuplesAndLists() {
    assertEquals(new PyBool(true), parse("True"));
    assertEquals(new PyBool(false), parse(" False "));
    assertEquals(new PyNone(), parse("None"));
    PythonLiteral betas = new PyTuple(List.of(new PyFloat(0.9), new PyFloat(0.999)));
    assertEquals(betas, parse("(0.9,0.999)"));
    assertEquals(betas, parse("0.9,0.999"));
    assertEquals(betas, parse("0.9, 0.999,"));
    assertEquals(new PyTuple(List.of(new PyInt(1))), parse("(1,)"));
    assertEquals(new PyInt(1), parse("(1)"));
    assertEquals(new PyTuple(List.of()), parse("()"));
    assertEquals(new PyList(List.of(new PyList(List.of()), new PyTuple(List.of(new PyStr("a"), new PyNone())))),
        parse("[[], ('a', None),]"));
  }

  @Test
  void readsStringsWithEscapesPrefixesAndConcatenation() {
    assertEquals(new PyStr("1:10,0.1:20,0.01"), parse("'1:10,0.1:20,0.01'"));
    assertEquals(new PyStr("tab\there\nA\u00e9\u00e9A\u0000!"), parse("\"tab\\there\\n\\x41\\u00e9\\xe9\\101\\0!\""));
    assertEquals(new PyStr("it's"), parse("'it\\'s'"));
    assertEquals(new PyStr("a\\.b"), parse("'a\\.b'"));
    assertEquals(new PyStr("raw\\'q"), parse("r'raw\\'q'"));
    assertEquals(new PyStr("ab\"c"), parse("'a' \"b\" u'\"c'"));
    assertEquals(new PyStr("multi\nline 'x' "), parse("'''multi\nline 'x' '''"));
    assertEquals(new PyStr("\u00e9"), parse("'\\N{LATIN SMALL LETTER E WITH ACUTE}'"));
    assertEquals(new PyStr("ab"), parse("'a\\\nb'"));
  }

  @Test
  void refusesWhatLiteralEvalRefuses() {
    for (String bad : new String[] {"", "01", "--1", "1__0", "1_", "0x", "{'a': 1}", "foo", "'abc", "r'\\'",
        "'a\nb'", "1j", "b'x'", "f'x'", "[1, 2", "(1 2)", "1 2", "'\\x4'", "'\\N{NO SUCH NAME}'", "- 'a'",
        "[".repeat(500)}) {
      ConfigError e = assertThrows(ConfigError.class, () -> parse(bad), bad);
      assertTrue(e.getMessage().startsWith("run.conf:3: optimizer_args.x: the Python literal"), e.getMessage());
    }
  }

  @Test
  void refusesListsThatAreNotListsOfStrings() {
    assertThrows(ConfigError.class, () -> PythonLiteral.parseStringList("'.*'", AT));
    assertThrows(ConfigError.class, () -> PythonLiteral.parseStringList("[r'.*', 1]", AT));
    assertThrows(ConfigError.class, () -> PythonLiteral.parseStringList("(r'.*',)", AT));
  }
}
