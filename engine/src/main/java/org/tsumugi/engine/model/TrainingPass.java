package org.tsumugi.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * One micro-step of a {@link TrainingExecutor}. Block i's output gradient is back-propagated through block i alone
 * (its input is a leaf), so the backward can stop between blocks to bring weights in or to rebuild a block's graph.
 *
 * <p>Ownership: the array returned by {@link #run} is registered with the caller's scope; the saved inputs, leaves
 * and per-block outputs belong to the pass and are closed as soon as the backward has used them, or on close.
 */
final class TrainingPass implements BlockPass {

  private enum Mode { FORWARD_ONLY, RECOMPUTE, KEEP_GRAPHS }

  private final boolean recompute;
  private final BlockFetcher fetcher;
  private final LongAdder waitedNanos;
  private final LongAdder forwardNanos;
  private final LongAdder forwardBlocks;
  private final List<NDArray> inputs = new ArrayList<>(); // per block: saved input (recompute) or input leaf
  private final List<NDArray> outputs = new ArrayList<>(); // per block, with its graph (keep graphs)
  private Mode mode;
  private DitBlocks blocks;
  private PrefetchRing ring;
  private NDArray entry;
  private NDArray exit;

  TrainingPass(boolean recompute, BlockFetcher fetcher, LongAdder waitedNanos, LongAdder forwardNanos,
      LongAdder forwardBlocks) {
    this.recompute = recompute;
    this.fetcher = fetcher;
    this.waitedNanos = waitedNanos;
    this.forwardNanos = forwardNanos;
    this.forwardBlocks = forwardBlocks;
  }

  @Override
  public NDArray run(DitBlocks blocks, NDArray x) {
    if (this.blocks != null) {
      throw new IllegalStateException("a block pass runs the blocks once; open a new pass per micro-step");
    }
    this.blocks = blocks;
    this.ring = new PrefetchRing(blocks.residency(), fetcher);
    this.entry = x;
    this.mode = !JniUtils.isGradMode() ? Mode.FORWARD_ONLY : recompute ? Mode.RECOMPUTE : Mode.KEEP_GRAPHS;
    ring.startForward();
    NDArray out = switch (mode) {
      case FORWARD_ONLY -> forwardOnly(x);
      case RECOMPUTE -> forwardSavingInputs(x);
      case KEEP_GRAPHS -> forwardKeepingGraphs(x);
    };
    NDScope.register(out);
    return out;
  }

  private NDArray forwardOnly(NDArray x) {
    for (int i = 0; i < blocks.count(); i++) {
      NDArray y = forwardScoped(i, x);
      if (x != entry) {
        x.close();
      }
      x = y;
    }
    return x;
  }

  /** Gradient checkpointing: only each block's input survives the forward. */
  private NDArray forwardSavingInputs(NDArray x) {
    JniUtils.setGradMode(false);
    try {
      for (int i = 0; i < blocks.count(); i++) {
        inputs.add(x);
        x = forwardScoped(i, x);
      }
    } finally {
      JniUtils.setGradMode(true);
    }
    x.setRequiresGradient(true); // computed without a graph, so a leaf: the head's backward stops here
    exit = x;
    return x;
  }

  private NDArray forwardKeepingGraphs(NDArray x) {
    for (int i = 0; i < blocks.count(); i++) {
      NDArray leaf = leafOf(x);
      inputs.add(leaf);
      ring.await(i);
      NDArray y = timedForward(i, leaf);
      outputs.add(y);
      ring.forwardDone(i);
      x = y;
    }
    exit = leafOf(x);
    return exit;
  }

  private NDArray forwardScoped(int i, NDArray x) {
    ring.await(i);
    NDArray y = timedForward(i, x);
    ring.forwardDone(i);
    return y;
  }

  /** Block i's forward with its intermediates closed; libtorch computes on the CPU synchronously, so wall = compute. */
  private NDArray timedForward(int i, NDArray x) {
    long start = System.nanoTime();
    NDArray y;
    try (NDScope scope = new NDScope()) {
      y = blocks.forward(i, x);
      NDScope.unregister(y);
    }
    forwardNanos.add(System.nanoTime() - start);
    forwardBlocks.increment();
    return y;
  }

  @Override
  public void backward() {
    if (mode == null || mode == Mode.FORWARD_ONLY) {
      throw new IllegalStateException("backward() needs a forward run while gradients were being recorded");
    }
    boolean wasRecording = JniUtils.isGradMode();
    JniUtils.setGradMode(true);
    try {
      NDArray grad = exit.getGradient();
      ring.startBackward();
      for (int i = blocks.count() - 1; i >= 0; i--) {
        ring.await(i);
        NDArray previous = mode == Mode.RECOMPUTE ? backwardRecomputed(i, grad) : backwardKept(i, grad);
        grad.close();
        grad = previous;
        ring.backwardDone(i);
      }
      if (entry.hasGradient()) {
        JniUtils.backward((PtNDArray) entry, (PtNDArray) grad, false, false);
      }
      grad.close();
    } finally {
      JniUtils.setGradMode(wasRecording);
      mode = Mode.FORWARD_ONLY; // a second backward() is refused
    }
  }

  private NDArray backwardRecomputed(int i, NDArray grad) {
    NDArray leaf = leafOf(inputs.get(i));
    try (NDScope scope = new NDScope()) {
      NDArray y = blocks.forward(i, leaf);
      JniUtils.backward((PtNDArray) y, (PtNDArray) grad, false, false);
    }
    NDArray previous = leaf.getGradient();
    NDScope.unregister(previous);
    leaf.close();
    release(inputs, i);
    return previous;
  }

  private NDArray backwardKept(int i, NDArray grad) {
    JniUtils.backward((PtNDArray) outputs.get(i), (PtNDArray) grad, false, false);
    NDArray previous = inputs.get(i).getGradient();
    NDScope.unregister(previous);
    release(outputs, i);
    release(inputs, i);
    return previous;
  }

  /** A leaf sharing {@code x}'s storage that collects d(loss)/d(x); owned by the pass, in no scope. */
  private static NDArray leafOf(NDArray x) {
    NDArray leaf = x.stopGradient();
    NDScope.unregister(leaf);
    leaf.setRequiresGradient(true);
    return leaf;
  }

  private void release(List<NDArray> arrays, int i) {
    NDArray a = arrays.set(i, null);
    if (a != null && a != entry) {
      a.close();
    }
  }

  @Override
  public void close() {
    if (ring != null) {
      ring.drain();
      waitedNanos.add(ring.waitedNanos());
    }
    for (int i = 0; i < inputs.size(); i++) {
      release(inputs, i);
    }
    for (int i = 0; i < outputs.size(); i++) {
      release(outputs, i);
    }
  }
}
