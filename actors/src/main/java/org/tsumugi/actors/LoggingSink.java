package org.tsumugi.actors;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the run's events: saves, epochs, the end, and every {@code everySteps}-th step. */
public final class LoggingSink implements RunEventSink {
  private static final Logger LOG = LoggerFactory.getLogger("tsumugi.run");

  private final int everySteps;

  public LoggingSink(int everySteps) {
    this.everySteps = Math.max(1, everySteps);
  }

  @Override
  public void accept(RunEvent event) {
    if (event instanceof RunEvent.StepsCompleted steps) {
      for (RunEvent.StepMetrics m : steps.steps()) {
        if (m.step() % everySteps == 0) {
          LOG.info(String.format(Locale.ROOT, "step %d (epoch %d): loss %.4f, average %.4f, lr %s, %.3f s",
              m.step(), m.epoch(), m.loss(), m.averageLoss(), m.learningRates(), m.seconds()));
        }
      }
    } else if (event instanceof RunEvent.EpochCompleted e) {
      LOG.info(String.format(Locale.ROOT, "epoch %d done at step %d: average loss %.4f", e.epoch(), e.step(),
          e.averageLoss()));
    } else if (event instanceof RunEvent.CheckpointSaved c) {
      LOG.info("checkpoint {} at step {}: {} ({} bytes)", c.kind(), c.step(), c.path(), c.size());
    } else if (event instanceof RunEvent.StateSaved s) {
      LOG.info("state {} at step {}: {} ({} bytes)", s.kind(), s.step(), s.path(), s.size());
    } else if (event instanceof RunEvent.FileRemoved r) {
      LOG.info("removed {}", r.path());
    } else if (event instanceof RunEvent.RunFailed f) {
      LOG.error("run failed at step {}: {}", f.step(), f.reason());
    } else if (event instanceof RunEvent.RunFinished f) {
      LOG.info("run finished after {} steps: {}", f.steps(), f.finalPath());
    } else if (event instanceof RunEvent.ProcessAttached a) {
      LOG.info("process {} runs from step {}", a.pid(), a.fromStep());
    }
  }
}
