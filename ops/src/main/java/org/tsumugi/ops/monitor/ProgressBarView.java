package org.tsumugi.ops.monitor;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.actors.RunEvent.ProcessAttached;
import org.tsumugi.actors.RunEvent.RunContinued;
import org.tsumugi.actors.RunEvent.RunFailed;
import org.tsumugi.actors.RunEvent.RunFinished;
import org.tsumugi.actors.RunEvent.RunPaused;
import org.tsumugi.actors.RunEvent.RunStarted;
import org.tsumugi.actors.RunEvent.StepsCompleted;

/**
 * A redrawn progress bar on a terminal (me.tongfei:progressbar renders it and measures it/s and ETA). Other events
 * print as a line above the bar.
 */
final class ProgressBarView implements ConsoleProgress.View {

  private static final String CLEAR_LINE = "\r\u001b[2K";

  private final PrintStream out;
  private final EventText text;
  private ProgressBar bar;

  ProgressBarView(PrintStream out, EventText text) {
    this.out = out;
    this.text = text;
  }

  @Override
  public void show(RunEvent event, RunProgress progress) {
    if (event instanceof ProcessAttached attached) {
      closeBar();
      bar = newBar(progress.maxSteps(), attached.fromStep());
    } else if (event instanceof StepsCompleted) {
      if (bar == null) {
        bar = newBar(progress.maxSteps(), progress.step());
      }
      bar.stepTo(progress.step());
      progress.lastStep().ifPresent(
          m -> bar.setExtraMessage(" " + EventText.stepMetricsText(m, progress.lrGroups())));
      return;
    } else if (event instanceof RunPaused && bar != null) {
      bar.pause();
    } else if (event instanceof RunContinued && bar != null) {
      bar.resume();
    } else if (event instanceof RunFinished || event instanceof RunFailed) {
      closeBar();
    } else if (event instanceof RunStarted && bar != null) {
      bar.maxHint(progress.maxSteps());
    }
    // One print call: the bar's own refresh cannot land between clearing the line and the message.
    out.print(CLEAR_LINE + text.line(event, progress) + System.lineSeparator());
    out.flush();
  }

  private ProgressBar newBar(long maxSteps, long fromStep) {
    return new ProgressBarBuilder()
        .setTaskName("train")
        .setInitialMax(maxSteps > 0 ? maxSteps : -1)
        .startsFrom(fromStep, Duration.ZERO)
        .setStyle(ProgressBarStyle.UNICODE_BLOCK)
        .showSpeed(new DecimalFormat("0.00", DecimalFormatSymbols.getInstance(Locale.ROOT)))
        .setUnit(" it", 1)
        .setUpdateIntervalMillis(500)
        .continuousUpdate()
        .setConsumer(new ConsoleProgressBarConsumer(out))
        .build();
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  @Override
  public void close() {
    closeBar();
    out.flush();
  }
}
