package org.tsumugi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Python's str()/repr() text of literals and floats, as the reference writes metadata. */
class PythonTextTest {

  private static PythonLiteral parse(String text) {
    return PythonLiteral.parse(text, new KeyLocation("optimizer_args.x", "test"));
  }

  @Test
  void printsAsPythonStr() {
    assertEquals("(0.9, 0.99)", parse("(0.9,0.99)").str());
    assertEquals("(1,)", parse("1,").str());
    assertEquals("[0.9, 'a']", parse("[0.9,'a']").str());
    assertEquals("abc", parse("'abc'").str());
    assertEquals("('abc', \"it's\")", parse("('abc', \"it's\")").str());
    assertEquals("True", parse("True").str());
    assertEquals("1e-08", parse("1e-8").str());
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
      assertEquals(c[1], PythonText.repr(Double.parseDouble(c[0])), c[0]);
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
      String text = PythonText.repr(x);
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
