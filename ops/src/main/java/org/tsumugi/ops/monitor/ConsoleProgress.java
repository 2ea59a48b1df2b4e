package org.tsumugi.ops.monitor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.actors.RunEventSink;

/**
 * The run's progress on the console: on a terminal a redrawn bar (step/total, it/s, ETA, loss, average loss, lr);
 * elsewhere (a log file, a pipe, CI) a plain line every few steps, since redrawing would fill a log with carriage
 * returns. Other events (saves, pauses, the end) print as lines of their own.
 */
public final class ConsoleProgress implements RunEventSink {

  /** What the console shows for each event, given the progress after it. */
  interface View {
    void show(RunEvent event, RunProgress progress);

    void close();
  }

  private final RunProgress progress = new RunProgress();
  private final View view;

  private ConsoleProgress(View view) {
    this.view = view;
  }

  /** A bar when standard error is a terminal, else plain lines about every 1% of the run. */
  public static ConsoleProgress forStderr() {
    return stderrIsTerminal() ? redrawing(System.err) : lines(System.err, 0);
  }

  public static ConsoleProgress redrawing(PrintStream out) {
    return new ConsoleProgress(new ProgressBarView(out, new EventText(ZoneId.systemDefault())));
  }

  /**
   * Plain lines: one per {@code everySteps} steps (0: about every 1% of the run), and at least one a minute while
   * steps complete.
   */
  public static ConsoleProgress lines(PrintStream out, int everySteps) {
    return new ConsoleProgress(new ProgressLineView(out, everySteps, new EventText(ZoneId.systemDefault())));
  }

  @Override
  public void accept(RunEvent event) {
    progress.apply(event);
    view.show(event, progress);
  }

  @Override
  public void close() {
    view.close();
  }

  /** Linux tells where file descriptor 2 goes; elsewhere a console attached to the process is the best hint. */
  private static boolean stderrIsTerminal() {
    if ("dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return System.console() != null;
    }
  }
}
