package org.tsumugi.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tsumugi show-timesteps}: the reference's console layout and a real PNG chart. */
class ShowTimestepsCommandTest {

  private static List<String> console(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.commandLine().execute(args));
    } finally {
      System.setOut(original);
    }
    return buffer.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void uniformSamplingFillsEveryRowAndSigmaSqrtWeightsFallWithTime() {
    List<String> lines = console("show-timesteps", "console", "--timestep_sampling", "uniform",
        "--weighting_scheme", "sigma_sqrt");
    assertEquals(82, lines.size(), "two headers and 2 x 40 rows");
    assertTrue(lines.get(0).startsWith("Sampled timesteps: max count="));
    assertEquals("   0-  24: ", lines.get(1).substring(0, 11));
    for (int row = 1; row <= 40; row++) {
      int bars = lines.get(row).length() - 11;
      assertTrue(bars >= 56 && bars <= 64, "uniform row " + row + " has " + bars + " bars");
    }
    assertTrue(lines.get(41).startsWith("Sampled loss weighting: max weighting="));
    double first = Double.parseDouble(lines.get(42).substring(11, 19).trim());
    double last = Double.parseDouble(lines.get(81).substring(11, 19).trim());
    assertTrue(first > 100 * last, "sigma^-2 is largest at low timesteps: " + first + " vs " + last);
  }

  @Test
  void imageViewWritesAPngChart(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("chart.png");
    console("show-timesteps", "image", "--timestep_sampling", "shift", "--discrete_flow_shift", "3.0",
        "--output", png.toString());
    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(image.getWidth() > 1000 && image.getHeight() > 400, image.getWidth() + "x" + image.getHeight());
  }

  @Test
  void unknownModeIsRefusedWithTheValidOnes() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    var cli = Main.commandLine();
    cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    int code = cli.execute("show-timesteps", "console", "--timestep_sampling", "sigmoidd");
    assertEquals(2, code);
    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(message.contains("sigmoidd") && message.contains("sigmoid"), message);
  }
}
