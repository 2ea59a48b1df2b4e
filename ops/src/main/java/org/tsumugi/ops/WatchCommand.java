package org.tsumugi.ops;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.ops.monitor.EventText;
import org.tsumugi.ops.monitor.Heartbeat;
import org.tsumugi.ops.monitor.RunEventLog;
import org.tsumugi.ops.monitor.RunFiles;
import org.tsumugi.ops.monitor.RunProgress;
import org.tsumugi.ops.monitor.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tsumugi watch RUN_DIR}: a run's history from its event log, then its events as they come while it runs. */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {"Print a run's history and follow it while it runs.",
        "Ends when the run finishes or fails, or when its process is found dead; the last line is the run's state."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:finished, or still running (--no-follow)", "1:the run failed",
        "2:bad arguments or an unreadable run directory", "3:no process is running the run"})
final class WatchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN_DIR", description = "the run's output_dir")
  Path runDir;

  @Option(names = "--follow", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "keep printing new events while the run's process lives (default: ${DEFAULT-VALUE})")
  boolean follow;

  @Option(names = "--poll-millis", defaultValue = "500", hidden = true)
  long pollMillis;

  @Override
  public Integer call() throws InterruptedException {
    if (!Files.isDirectory(runDir)) {
      throw new ParameterException(spec.commandLine(), "run directory not found: " + runDir);
    }
    try {
      return watch(spec.commandLine().getOut());
    } catch (IOException e) {
      spec.commandLine().getErr().println("tsumugi watch: " + e.getMessage());
      return 2;
    }
  }

  private int watch(PrintWriter out) throws IOException, InterruptedException {
    RunFiles files = RunFiles.of(runDir);
    EventText text = new EventText(ZoneId.systemDefault());
    RunEventLog.Tail tail = new RunEventLog.Tail(files.events());
    RunProgress progress = new RunProgress();
    RunStatus status = printNew(tail, progress, text, out, files);
    while (follow && status.state().hasLiveProcess()) {
      Thread.sleep(pollMillis);
      status = printNew(tail, progress, text, out, files);
    }
    // The process may have written its last events just before it ended: read them before the final word.
    status = printNew(tail, progress, text, out, files);
    out.println("state: " + status.describe(text));
    out.flush();
    return exitCode(status.state());
  }

  private static RunStatus printNew(RunEventLog.Tail tail, RunProgress progress, EventText text, PrintWriter out,
      RunFiles files) throws IOException {
    for (RunEvent event : tail.poll()) {
      progress.apply(event);
      out.println(text.line(event, progress));
    }
    out.flush();
    return RunStatus.decide(progress, Heartbeat.read(files.heartbeat()), Clock.systemUTC().instant());
  }

  private static int exitCode(RunStatus.State state) {
    return switch (state) {
      case FINISHED, RUNNING, PAUSED -> 0;
      case FAILED -> 1;
      case NOT_STARTED, NOT_RUNNING, STALLED -> 3;
    };
  }
}
