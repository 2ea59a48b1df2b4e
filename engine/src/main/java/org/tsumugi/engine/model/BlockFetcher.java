package org.tsumugi.engine.model;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Brings a streamed block's weights in on some thread of its own while the trainer computes another block; the
 * Prefetcher actor is one, {@link BackgroundFetcher} another.
 */
@FunctionalInterface
public interface BlockFetcher {

  /** Completes when {@code residency} holds {@code block}'s weights, or exceptionally with the failure. */
  CompletionStage<Void> fetch(BlockResidency residency, int block);

  /** No prefetch: the block is read on the caller's thread when it is needed. */
  BlockFetcher INLINE = (residency, block) -> {
    try {
      residency.bringIn(block);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  };
}
