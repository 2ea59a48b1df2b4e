package org.tsumugi.actors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run's ledger says, folded from its events (the RunSupervisor's state): whether and how the run started, how
 * far it got, which files it saved and removed, and how it ended. Immutable; each event gives a new ledger.
 *
 * @param files every saved file still present by path, in the order saved
 */
public record RunLedger(
    Optional<RunEvent.RunStarted> started,
    long lastStep,
    Optional<Float> firstLoss,
    Optional<Float> lastLoss,
    Map<String, RunEvent> files,
    boolean finished,
    Optional<String> failure) {

  public RunLedger {
    files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }

  public static RunLedger empty() {
    return new RunLedger(Optional.empty(), 0, Optional.empty(), Optional.empty(), Map.of(), false, Optional.empty());
  }

  public RunLedger apply(RunEvent event) {
    if (event instanceof RunEvent.RunStarted s) {
      return new RunLedger(Optional.of(s), lastStep, firstLoss, lastLoss, files, false, Optional.empty());
    } else if (event instanceof RunEvent.StepsCompleted steps && !steps.steps().isEmpty()) {
      RunEvent.StepMetrics last = steps.steps().get(steps.steps().size() - 1);
      Optional<Float> first = firstLoss.isPresent() ? firstLoss : Optional.of(steps.steps().get(0).loss());
      return new RunLedger(started, Math.max(lastStep, last.step()), first, Optional.of(last.loss()), files,
          finished, failure);
    } else if (event instanceof RunEvent.CheckpointSaved c) {
      return withFile(c.path(), c);
    } else if (event instanceof RunEvent.StateSaved s) {
      return withFile(s.path(), s);
    } else if (event instanceof RunEvent.FileRemoved r) {
      Map<String, RunEvent> kept = new LinkedHashMap<>(files);
      kept.keySet().removeIf(path -> path.equals(r.path()) || path.startsWith(r.path() + "/"));
      return new RunLedger(started, lastStep, firstLoss, lastLoss, kept, finished, failure);
    } else if (event instanceof RunEvent.RunFinished) {
      return new RunLedger(started, lastStep, firstLoss, lastLoss, files, true, Optional.empty());
    } else if (event instanceof RunEvent.RunFailed f) {
      return new RunLedger(started, lastStep, firstLoss, lastLoss, files, finished, Optional.of(f.reason()));
    }
    return this;
  }

  private RunLedger withFile(String path, RunEvent event) {
    Map<String, RunEvent> updated = new LinkedHashMap<>(files);
    updated.remove(path);
    updated.put(path, event);
    return new RunLedger(started, lastStep, firstLoss, lastLoss, updated, finished, failure);
  }

  /** Saved states still present, newest (highest step, then latest saved) first. */
  public List<RunEvent.StateSaved> liveStates() {
    List<RunEvent.StateSaved> states = new ArrayList<>();
    files.values().forEach(e -> {
      if (e instanceof RunEvent.StateSaved s) {
        states.add(s);
      }
    });
    java.util.Collections.reverse(states);
    states.sort(Comparator.comparingLong(RunEvent.StateSaved::step).reversed());
    return states;
  }

  public boolean holds(String path) {
    return files.keySet().stream().anyMatch(p -> p.equals(path) || p.startsWith(path + "/"));
  }
}
