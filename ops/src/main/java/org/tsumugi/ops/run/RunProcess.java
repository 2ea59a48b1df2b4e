package org.tsumugi.ops.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.tsumugi.actors.RunLauncher;
import org.tsumugi.actors.RunOutcome;
import org.tsumugi.actors.run.Launch;
import org.tsumugi.actors.run.RunDirectory;
import org.tsumugi.actors.run.RunLock;
import org.tsumugi.actors.run.RunSpec;
import org.tsumugi.actors.run.RunSpecs;
import org.tsumugi.actors.training.CacheBatches;
import org.tsumugi.config.ConfigLoader;
import org.tsumugi.config.TsumugiConfig;
import org.tsumugi.ops.monitor.ConsoleProgress;
import org.tsumugi.ops.monitor.MonitorSinks;

/**
 * One process running one run: takes the run directory's lock, builds the run (new, or resumed from its ledger), opens
 * the monitoring sinks in the directory and runs it to its end, then prints the outcome.
 */
final class RunProcess {

  /** How the process ends for its caller. */
  static final int FINISHED = 0;
  static final int FAILED = 1;
  static final int REFUSED = 2;

  private RunProcess() {}

  /**
   * Starts the run of {@code runFile} (or continues it with {@code resume}).
   *
   * @param startedAtMillis the start time a new run records
   */
  static int train(Path runFile, List<String> overrides, boolean resume, long startedAtMillis, PrintWriter out)
      throws IOException, InterruptedException {
    TsumugiConfig config = ConfigLoader.load(runFile, overrides.toArray(String[]::new));
    RunDirectory dir = new RunDirectory(config.save().outputDir());
    try (RunLock lock = RunLock.acquire(dir)) {
      RunSpec spec = resume && Launch.exists(dir)
          ? RunSpecs.resume(dir, config, CacheBatches::open)
          : RunSpecs.start(config, runFile, overrides, startedAtMillis, CacheBatches::open);
      return run(spec, out);
    }
  }

  /** Continues the run in {@code dir} under the options it was launched with. */
  static int resume(RunDirectory dir, PrintWriter out) throws IOException, InterruptedException {
    try (RunLock lock = RunLock.acquire(dir)) {
      return run(RunSpecs.resume(dir, CacheBatches::open), out);
    }
  }

  private static int run(RunSpec spec, PrintWriter out) throws IOException, InterruptedException {
    DeferredControl control = new DeferredControl();
    RunOutcome outcome;
    try (MonitorSinks sinks = MonitorSinks.open(spec.directory().meta(), spec.config().logging(),
        spec.config().runtime(), control, ConsoleProgress.forStderr(), Clock.systemUTC())) {
      outcome = RunLauncher.run(spec, bound -> {
        control.bind(bound);
        return List.of(sinks);
      });
    }
    RunSummary.print(outcome, spec.directory(), out);
    return exitCode(outcome);
  }

  private static int exitCode(RunOutcome outcome) {
    if (outcome instanceof RunOutcome.Refused) {
      return REFUSED;
    }
    return outcome instanceof RunOutcome.Failed ? FAILED : FINISHED;
  }
}
