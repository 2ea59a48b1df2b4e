package org.tsumugi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** config/OPTIONS.md documents every option of reference.conf, with the same default, and every refused one. */
class OptionsDocTest {
  private static final Path DOC = Path.of("OPTIONS.md");

  @Test
  void everyReferenceOptionIsDocumentedWithItsDefault() throws IOException {
    String doc = Files.readString(DOC);
    OptionCatalog catalog = OptionCatalog.reference();
    List<String> missing = new ArrayList<>();
    for (String name : catalog.names()) {
      Matcher row = Pattern.compile("\\| `" + Pattern.quote(name) + "` \\| ([^|]*) \\|").matcher(doc);
      if (!row.find()) {
        missing.add(name);
        continue;
      }
      if (catalog.kind(name).orElseThrow() != OptionCatalog.Kind.SECTION) {
        ConfigValue value = OptionReader.valueAt(catalog.defaults(), name);
        String expected = value.render(ConfigRenderOptions.concise()).replace("\"", "");
        String documented = row.group(1).trim().replace("`", "").replace("\"", "");
        assertEquals(normalise(expected), normalise(documented), "default of " + name + " in OPTIONS.md");
      }
    }
    assertEquals(List.of(), missing, "options of reference.conf missing from OPTIONS.md");
  }

  @Test
  void everyUnsupportedReferenceOptionIsDocumented() throws IOException {
    String doc = Files.readString(DOC);
    for (String name : UnsupportedOptions.reasons().keySet()) {
      assertTrue(doc.contains("`" + name + "`"), name + " missing from OPTIONS.md");
    }
  }

  /** HOCON renders 2.0e-6 as written but durations as strings; compare numbers by value. */
  private static String normalise(String text) {
    try {
      return Double.toString(Double.parseDouble(text));
    } catch (NumberFormatException e) {
      return text;
    }
  }
}
