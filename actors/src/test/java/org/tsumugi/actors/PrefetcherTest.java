package org.tsumugi.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.typesafe.config.ConfigFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tsumugi.engine.model.BlockFetcher;
import org.tsumugi.engine.model.BlockLayout;
import org.tsumugi.engine.model.BlockResidency;
import org.tsumugi.engine.model.StreamedBlocks;
import org.tsumugi.engine.model.WeightTier;

/** The prefetcher reads blocks into their slots on its own dispatcher and answers for the trainer's executor. */
class PrefetcherTest {

  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final Map<String, long[]> SHAPES = Map.of("blocks.0.w.weight", new long[] {2, 3}, "blocks.1.w.weight",
      new long[] {2, 3}, "blocks.2.w.weight", new long[] {2, 3}, "blocks.3.w.weight", new long[] {2, 3});

  static NDManager manager;
  static StreamedBlocks blocks;
  static volatile String readingThread;
  static ActorSystem<Void> system;
  static ActorRef<Prefetcher.Command> prefetcher;

  @BeforeAll
  static void start() throws Exception {
    manager = NDManager.newBaseManager();
    WeightTier tier = (key, into) -> {
      readingThread = Thread.currentThread().getName();
      int block = Integer.parseInt(key.split("\\.")[1]);
      if (block == 2) {
        throw new IllegalStateException("disk gone while reading " + key);
      }
      into.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values(block));
    };
    BlockLayout layout = BlockLayout.of(SHAPES, 4, i -> "blocks." + i + ".", BlockLayout.LINEAR_WEIGHTS);
    SortedMap<Integer, WeightTier> tiers = new TreeMap<>(Map.of(1, tier, 2, tier, 3, tier));
    blocks = new StreamedBlocks(layout, tiers, manager);
    CompletableFuture<ActorRef<Prefetcher.Command>> spawned = new CompletableFuture<>();
    system = ActorSystem.create(Behaviors.setup(context -> {
      spawned.complete(context.spawn(Prefetcher.create(blocks), "prefetcher",
          Prefetcher.dispatcher(context.getSystem())));
      return Behaviors.empty();
    }), "prefetcher-test", ConfigFactory.parseString(Prefetcher.DISPATCHER_PATH + " { type = Dispatcher, "
        + "executor = thread-pool-executor, thread-pool-executor.fixed-pool-size = 1, throughput = 1 }"));
    prefetcher = spawned.get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    system.terminate();
    manager.close();
  }

  @Test
  void bringsTheBlockInOnItsOwnDispatcherAndReplies() throws Exception {
    readingThread = null;
    Prefetcher.FetchResult result = AskPattern.<Prefetcher.Command, Prefetcher.FetchResult>ask(prefetcher,
        replyTo -> new Prefetcher.Fetch(3, replyTo), TIMEOUT, system.scheduler()).toCompletableFuture().get();
    assertEquals(3, assertInstanceOf(Prefetcher.Fetched.class, result).block());
    assertTrue(readingThread.contains("prefetcher-dispatcher"), "read on " + readingThread);
    assertTrue(blocks.holds(3));
    assertArrayEquals(values(3), blocks.blockStore(3, null).load("blocks.3.w.weight", manager).toFloatArray(),
        "the slot view of block 3 (streamed keys never reach the source store)");
  }

  @Test
  void aFailedReadIsAnsweredAndFailsTheExecutorsFetch() {
    BlockFetcher fetcher = Prefetcher.fetcher(prefetcher, blocks, system.scheduler(), TIMEOUT);
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> fetcher.fetch(blocks, 2).toCompletableFuture().get());
    assertTrue(e.getCause().getMessage().contains("disk gone while reading blocks.2.w.weight"), e.getMessage());
    assertFalse(blocks.holds(2), "a failed read leaves the slot empty");
  }

  @Test
  void asAFetcherItCompletesOnceTheBlockIsInPlace() throws Exception {
    BlockFetcher fetcher = Prefetcher.fetcher(prefetcher, blocks, system.scheduler(), TIMEOUT);
    for (int block : List.of(1, 1)) {
      fetcher.fetch(blocks, block).toCompletableFuture().get();
      assertTrue(blocks.holds(block));
    }
    ExecutionException other = assertThrows(ExecutionException.class,
        () -> fetcher.fetch(BlockResidency.RESIDENT, 1).toCompletableFuture().get());
    assertInstanceOf(IllegalArgumentException.class, other.getCause());
  }

  private static float[] values(int block) {
    return new float[] {block, block + 0.5f, -block, 1, 2, 3};
  }
}
