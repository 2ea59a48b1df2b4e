package org.tsumugi.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/** One EmaMerger on a real actor system whose journal and snapshot store are the RocksDB plugins. */
final class EmaRun {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  final TestProbe<EmaMerger.Report> reports;
  final ActorRef<EmaMerger.Command> merger;
  private final ActorTestKit kit;

  EmaRun(ActorTestKit kit, EmaMerger.Settings settings) {
    this.kit = kit;
    this.reports = kit.createTestProbe(EmaMerger.Report.class);
    this.merger = kit.spawn(EmaMerger.create(settings, reports.ref()));
  }

  /** An actor system with the run ledger (journal, snapshots) under {@code ledger}. */
  static ActorTestKit system(String name, Path ledger) {
    Config config = ConfigFactory.parseMap(Map.of(
        "pekko.persistence.journal.plugin", "tsumugi.persistence.journal",
        "pekko.persistence.snapshot-store.plugin", "tsumugi.persistence.snapshot-store",
        "tsumugi.persistence.journal.dir", ledger.resolve("journal").toString(),
        "tsumugi.persistence.snapshot-store.dir", ledger.resolve("snapshots").toString(),
        "pekko.loglevel", "WARNING"));
    return ActorTestKit.create(name, config);
  }

  static EmaMerger.Fold fold(Path checkpoint, long step) throws IOException {
    return new EmaMerger.Fold(step, 1, checkpoint.toString(), Files.size(checkpoint),
        LoraCheckpoints.sha256(checkpoint));
  }

  /** Folds the checkpoint and expects it to be merged as the {@code merged}-th. */
  RunEvent.EmaUpdated folds(Path checkpoint, long step, int merged) throws IOException {
    merger.tell(fold(checkpoint, step));
    RunEvent.EmaUpdated event = assertInstanceOf(EmaMerger.Updated.class, reports.receiveMessage(TIMEOUT),
        () -> "folding " + checkpoint).event();
    assertEquals(merged, event.checkpointsMerged());
    assertEquals(step, event.step());
    assertEquals(checkpoint.toString(), event.checkpoint());
    return event;
  }

  EmaMerger.Failed fails(EmaMerger.Fold fold) {
    merger.tell(fold);
    return assertInstanceOf(EmaMerger.Failed.class, reports.receiveMessage(TIMEOUT), () -> "folding " + fold);
  }

  /** The merger's status once everything sent before is done. */
  EmaMerger.Status status() {
    TestProbe<EmaMerger.Status> probe = kit.createTestProbe(EmaMerger.Status.class);
    merger.tell(new EmaMerger.GetStatus(probe.ref()));
    return probe.receiveMessage(TIMEOUT);
  }
}
