package org.tsumugi.actors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.tsumugi.config.PostHocEmaConfig;

/**
 * A separate JVM running one EmaMerger, to be killed with SIGKILL at any moment: it sends a Fold for every checkpoint
 * (the ones already folded again, as a restarted supervisor does) and prints {@code folded N} after each fold and
 * {@code done} at the end. Arguments: ledger dir, output dir, checkpoints in order (at steps 10, 20, ...).
 */
public final class EmaProcess {
  static final PostHocEmaConfig CONFIG =
      new PostHocEmaConfig(true, 0.8, OptionalDouble.of(0.95), OptionalDouble.empty());

  private EmaProcess() {}

  static EmaMerger.Settings settings(Path outputDir, int planned) {
    return new EmaMerger.Settings("killed", outputDir, "lora", CONFIG, planned);
  }

  public static void main(String[] args) throws Exception {
    List<Path> checkpoints = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      checkpoints.add(Path.of(args[i]));
    }
    ActorTestKit kit = EmaRun.system("ema-process", Path.of(args[0]));
    EmaRun run = new EmaRun(kit, settings(Path.of(args[1]), checkpoints.size()));
    int merged = run.status().checkpointsMerged();
    for (int i = 0; i < checkpoints.size(); i++) {
      run.merger.tell(EmaRun.fold(checkpoints.get(i), LoraCheckpoints.step(i)));
    }
    while (merged < checkpoints.size()) {
      EmaMerger.Report report = run.reports.receiveMessage(EmaRun.TIMEOUT);
      if (!(report instanceof EmaMerger.Updated updated)) {
        throw new IllegalStateException("unexpected report " + report);
      }
      merged = updated.event().checkpointsMerged();
      System.out.println("folded " + merged);
      System.out.flush();
    }
    System.out.println("done");
    System.out.flush();
    Thread.sleep(60_000);
  }
}
