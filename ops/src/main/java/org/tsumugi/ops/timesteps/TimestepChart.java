package org.tsumugi.ops.timesteps;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.tsumugi.engine.train.TimestepHistogram;

/**
 * The reference's image view of {@code --show_timesteps}: "Sampled timesteps" (count per timestep) beside "Sampled
 * loss weighting" (weight per timestep), drawn as filled step charts and written as one PNG.
 */
public final class TimestepChart {

  private static final int WIDTH = 720;
  private static final int HEIGHT = 480;
  private static final Color FILL = new Color(31, 119, 180);

  private TimestepChart() {}

  public static void write(TimestepHistogram h, String settings, Path png) throws IOException {
    double[] x = new double[TimestepHistogram.BINS];
    double[] counts = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
      counts[i] = h.counts()[i];
    }
    XYChart left = chart("Sampled timesteps", "Count", x, counts);
    XYChart right = chart("Sampled loss weighting", "Weighting", x, h.weights());
    BufferedImage both = new BufferedImage(2 * WIDTH, HEIGHT + 30, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = both.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, both.getWidth(), both.getHeight());
    g.setColor(Color.DARK_GRAY);
    g.drawString(settings, 12, 20);
    g.drawImage(BitmapEncoder.getBufferedImage(left), 0, 30, null);
    g.drawImage(BitmapEncoder.getBufferedImage(right), WIDTH, 30, null);
    g.dispose();
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ImageIO.write(both, "png", png.toFile());
  }

  private static XYChart chart(String title, String yTitle, double[] x, double[] y) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("Timestep")
        .yAxisTitle(yTitle).build();
    c.getStyler().setLegendVisible(false);
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
    c.getStyler().setXAxisMin(0.0);
    c.getStyler().setXAxisMax((double) TimestepHistogram.BINS);
    c.getStyler().setYAxisMin(0.0);
    c.getStyler().setXAxisDecimalPattern("#");
    c.getStyler().setXAxisTickMarkSpacingHint(60);
    XYSeries s = c.addSeries(title, x, y);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(FILL);
    s.setFillColor(FILL);
    return c;
  }
}
