package org.tsumugi.ops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tsumugi.config.ConfigLoader;
import org.tsumugi.config.TimestepConfig;
import org.tsumugi.engine.train.TimestepHistogram;
import org.tsumugi.ops.timesteps.TimestepChart;
import org.tsumugi.ops.timesteps.TimestepConsole;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code tsumugi show-timesteps console|image}: the reference's {@code --show_timesteps}. The timestep options come
 * from a run file and/or the command line with the reference's spellings ({@code --timestep_sampling shift
 * --discrete_flow_shift 3.0 ...}).
 */
@Command(name = "show-timesteps", mixinStandardHelpOptions = true,
    description = "Show the distribution of sampled timesteps and the loss weighting for the timestep options.")
final class ShowTimestepsCommand implements Callable<Integer> {

  enum View { console, image }

  @Parameters(index = "0", defaultValue = "console", description = "console (histogram text) or image (PNG chart).")
  View view;

  @Option(names = "--config", description = "Run file to read the timestep options from.")
  Path config;

  @Option(names = "--output", defaultValue = "timesteps.png", description = "PNG for the image view (default ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the draws (default ${DEFAULT-VALUE}).")
  long seed;

  @Unmatched
  List<String> options = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    TimestepConfig timesteps = ConfigLoader.loadTimesteps(Optional.ofNullable(config), options.toArray(String[]::new));
    TimestepHistogram histogram = TimestepHistogram.of(timesteps, seed);
    if (view == View.image) {
      TimestepChart.write(histogram, describe(timesteps), output);
      System.out.println("wrote " + output.toAbsolutePath());
    } else {
      TimestepConsole.print(histogram, System.out);
    }
    return 0;
  }

  private static String describe(TimestepConfig t) {
    return "timestep_sampling=" + t.timestepSampling().optionName() + ", discrete_flow_shift=" + t.discreteFlowShift()
        + ", sigmoid_scale=" + t.sigmoidScale() + ", weighting_scheme=" + t.weightingScheme().optionName()
        + t.minTimestep().stream().mapToObj(v -> ", min_timestep=" + v).findFirst().orElse("")
        + t.maxTimestep().stream().mapToObj(v -> ", max_timestep=" + v).findFirst().orElse("");
  }
}
