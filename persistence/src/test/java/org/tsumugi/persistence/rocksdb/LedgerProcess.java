package org.tsumugi.persistence.rocksdb;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A separate JVM that owns a run directory: it adds 1..N to a {@link Counter} persisted in {@code args[0]},
 * prints {@code acknowledged <total>} once every event is confirmed, then holds the directory until its stdin
 * closes or it is killed.
 */
public final class LedgerProcess {
  private LedgerProcess() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int events = Integer.parseInt(args[1]);
    ActorTestKit testKit = ActorTestKit.create("ledger-process");
    TestProbe<Long> replies = testKit.createTestProbe(Long.class);
    ActorRef<Counter.Command> counter = testKit.spawn(Counter.create("c1", TestPlugins.counterPlugins(dir)));
    long total = 0;
    for (int delta = 1; delta <= events; delta++) {
      counter.tell(new Counter.Add(delta, replies.ref()));
      total = replies.receiveMessage();
    }
    System.out.println("acknowledged " + total);
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold the RocksDB directories until told to stop
    }
    testKit.shutdownTestKit();
  }
}
