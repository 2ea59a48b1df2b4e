package org.tsumugi.engine.model;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Fetches blocks on one daemon thread, in request order (the engine's stand-in for the Prefetcher actor). */
public final class BackgroundFetcher implements BlockFetcher, AutoCloseable {

  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "tsumugi-block-fetch");
    t.setDaemon(true);
    return t;
  });

  @Override
  public CompletionStage<Void> fetch(BlockResidency residency, int block) {
    return CompletableFuture.runAsync(() -> residency.bringIn(block), thread);
  }

  @Override
  public void close() {
    thread.shutdown();
  }
}
