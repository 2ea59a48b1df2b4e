package org.tsumugi.ops.monitor;

import java.io.PrintStream;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.actors.RunEvent.StepsCompleted;

/** Plain progress lines for a console that is not a terminal: never a carriage return, one event per line. */
final class ProgressLineView implements ConsoleProgress.View {

  private static final long MAX_SILENCE_MILLIS = 60_000;

  private final PrintStream out;
  private final int everySteps;
  private final EventText text;
  private long printedStep = Long.MIN_VALUE;
  private long printedAtMillis;

  ProgressLineView(PrintStream out, int everySteps, EventText text) {
    this.out = out;
    this.everySteps = everySteps;
    this.text = text;
  }

  @Override
  public void show(RunEvent event, RunProgress progress) {
    if (event instanceof StepsCompleted && !due(progress, event.atMillis())) {
      return;
    }
    if (event instanceof StepsCompleted) {
      printedStep = progress.step();
      printedAtMillis = event.atMillis();
    }
    out.println(text.line(event, progress));
    out.flush();
  }

  private boolean due(RunProgress progress, long atMillis) {
    long every = everySteps > 0 ? everySteps : Math.max(1, progress.maxSteps() / 100);
    return printedStep == Long.MIN_VALUE
        || progress.step() - printedStep >= every
        || (progress.maxSteps() > 0 && progress.step() >= progress.maxSteps())
        || atMillis - printedAtMillis >= MAX_SILENCE_MILLIS;
  }

  @Override
  public void close() {
    out.flush();
  }
}
