package org.tsumugi.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PythonLiteralTest {

  @Test
  void readsTheLiteralsOptimizerArgsUse() {
    assertEquals(new PythonLiteral.Float(0.1), PythonLiteral.parse("0.1"));
    assertEquals(new PythonLiteral.Float(-1e-8), PythonLiteral.parse(" -1e-8 "));
    assertEquals(new PythonLiteral.Float(0.5), PythonLiteral.parse(".5"));
    assertEquals(new PythonLiteral.Float(2.0), PythonLiteral.parse("2."));
    assertEquals(new PythonLiteral.Int(4096), PythonLiteral.parse("4_096"));
    assertEquals(new PythonLiteral.Int(-3), PythonLiteral.parse("-3"));
    assertEquals(new PythonLiteral.Int(255), PythonLiteral.parse("0xff"));
    assertEquals(new PythonLiteral.Bool(true), PythonLiteral.parse("True"));
    assertEquals(new PythonLiteral.None(), PythonLiteral.parse("None"));
    assertEquals(new PythonLiteral.Str("cosine"), PythonLiteral.parse("'cosine'"));
    assertEquals(new PythonLiteral.Str("a\"b"), PythonLiteral.parse("\"a\\\"b\""));
  }

  @Test
  void readsTuplesParenthesisedOrBare() {
    PythonLiteral betas = new PythonLiteral.Tuple(List.of(new PythonLiteral.Float(0.9),
        new PythonLiteral.Float(0.999)));
    assertEquals(betas, PythonLiteral.parse("(0.9,0.999)"));
    assertEquals(betas, PythonLiteral.parse("0.9,0.999"));
    assertEquals(betas, PythonLiteral.parse("( 0.9 , 0.999 , )"));
    assertEquals(new PythonLiteral.Tuple(List.of(new PythonLiteral.Int(1))), PythonLiteral.parse("(1,)"));
    assertEquals(new PythonLiteral.Float(0.9), PythonLiteral.parse("(0.9)"));
    assertEquals(new PythonLiteral.ListValue(List.of(new PythonLiteral.Int(1), new PythonLiteral.None())),
        PythonLiteral.parse("[1, None]"));
  }

  @Test
  void refusesWhatLiteralEvalRefuses() {
    for (String bad : new String[] {"", "cosine", "inf", "float('inf')", "(0.9,", "0.9 0.99", "'open", "1+2",
        "007", "-True", "[1 2]"}) {
      assertThrows(IllegalArgumentException.class, () -> PythonLiteral.parse(bad), bad);
    }
  }

  @Test
  void printsAsPythonStr() {
    assertEquals("(0.9, 0.99)", PythonLiteral.parse("(0.9,0.99)").str());
    assertEquals("(1,)", PythonLiteral.parse("1,").str());
    assertEquals("[0.9, 'a']", PythonLiteral.parse("[0.9,'a']").str());
    assertEquals("abc", PythonLiteral.parse("'abc'").str());
    assertEquals("('abc', \"it's\")", PythonLiteral.parse("('abc', \"it's\")").str());
    assertEquals("True", PythonLiteral.parse("True").str());
    assertEquals("1e-08", PythonLiteral.parse("1e-8").str());
  }

  /** Python repr(float) for values whose text is known from CPython. */
  @Test
  void floatReprMatchesCPython() {
    String[][] cases = {{"0.1", "0.1"}, {"1e-8", "1e-08"}, {"1e-5", "1e-05"}, {"0.0001", "0.0001"},
        {"1e16", "1e+16"}, {"1e15", "1000000000000000.0"}, {"123456789.125", "123456789.125"},
        {"2.5e-05", "2.5e-05"}, {"100", "100.0"}, {"-0.8", "-0.8"}, {"0.999", "0.999"},
        {"1e-30", "1e-30"}, {"1.5e300", "1.5e+300"}, {"0.30000000000000004", "0.30000000000000004"},
        {"5e-324", "5e-324"}, {"1.7976931348623157e308", "1.7976931348623157e+308"}, {"-0.0", "-0.0"},
        {"1e309", "inf"}, {"12345678901234567.0", "1.2345678901234568e+16"}};
    for (String[] c : cases) {
      assertEquals(c[1], PythonFloat.repr(Double.parseDouble(c[0])), c[0]);
    }
  }

  @Test
  void floatReprIsTheShortestTextThatReadsBack() {
    Random random = new Random(31);
    for (int i = 0; i < 3000; i++) {
      double x = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(x)) {
        continue;
      }
      String text = PythonFloat.repr(x);
      assertEquals(x, Double.parseDouble(text), text);
      String digits = text.replaceAll("e.*", "").replaceAll("[-.]", "").replaceAll("^0+", "");
      digits = digits.replaceAll("0+$", "");
      String shorter = new java.math.BigDecimal(x).round(new java.math.MathContext(Math.max(1,
          digits.length() - 1))).toString();
      if (digits.length() > 1) {
        assertEquals(true, Double.parseDouble(shorter) != x, "a shorter text reads back: " + shorter);
      }
    }
  }
}
