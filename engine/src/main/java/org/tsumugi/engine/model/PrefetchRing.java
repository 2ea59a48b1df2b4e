package org.tsumugi.engine.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The fetch schedule of one pass over streamed blocks. Streamed block of rank r uses slot r mod n (n slots), so once
 * rank r has finished computing, its slot is free for the next rank due there: r + n going forward, r − n going
 * backward. The first n ranks of each direction are requested up front; a rank whose slot still holds it from the
 * previous direction or step is not read again (after a backward, ranks 0..n−1 are in place for the next forward).
 */
final class PrefetchRing {

  private final BlockResidency residency;
  private final BlockFetcher fetcher;
  private final List<Integer> streamed;
  private final Map<Integer, Integer> rankOf = new HashMap<>();
  private final int slots;
  private final Map<Integer, CompletableFuture<Void>> pending = new HashMap<>();
  private long waitedNanos;

  PrefetchRing(BlockResidency residency, BlockFetcher fetcher) {
    this.residency = residency;
    this.fetcher = fetcher;
    this.streamed = residency.streamedBlocks();
    this.slots = residency.slotCount();
    for (int r = 0; r < streamed.size(); r++) {
      rankOf.put(streamed.get(r), r);
    }
  }

  void startForward() {
    for (int r = 0; r < slots; r++) {
      request(r);
    }
  }

  void startBackward() {
    for (int r = streamed.size() - 1; r >= streamed.size() - slots; r--) {
      request(r);
    }
  }

  /** Returns once {@code block}'s weights are in place, reading them here if no fetch was under way. */
  void await(int block) {
    long start = System.nanoTime();
    try {
      awaitUntimed(block);
    } finally {
      waitedNanos += System.nanoTime() - start;
    }
  }

  /** Time the compute thread spent waiting for weights (a fetch not finished, or a read it had to do itself). */
  long waitedNanos() {
    return waitedNanos;
  }

  private void awaitUntimed(int block) {
    CompletableFuture<Void> f = pending.remove(block);
    if (f != null) {
      try {
        f.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    if (!residency.holds(block)) {
      residency.bringIn(block);
    }
  }

  /** {@code block} has finished its forward computation: its slot may take the next rank due there. */
  void forwardDone(int block) {
    Integer r = rankOf.get(block);
    if (r != null) {
      request(r + slots);
    }
  }

  /** {@code block} has finished its backward: its slot may take the previous rank due there. */
  void backwardDone(int block) {
    Integer r = rankOf.get(block);
    if (r != null) {
      request(r - slots);
    }
  }

  /** Waits for every fetch still under way (so none writes a slot after the pass), ignoring their failures. */
  void drain() {
    for (CompletableFuture<Void> f : pending.values()) {
      try {
        f.join();
      } catch (CompletionException e) {
        // the pass is ending; a later use reads the block again
      }
    }
    pending.clear();
  }

  private void request(int rank) {
    if (rank < 0 || rank >= streamed.size()) {
      return;
    }
    int block = streamed.get(rank);
    if (!pending.containsKey(block) && !residency.holds(block)) {
      pending.put(block, fetcher.fetch(residency, block).toCompletableFuture());
    }
  }
}
