package org.tsumugi.actors.training;

import org.tsumugi.engine.data.LoadedBatch;

/**
 * One micro-batch read into Java memory off the trainer's thread, at its place in the run; the trainer turns it into
 * tensors.
 *
 * @param epoch 0-based epoch
 * @param index 0-based position in that epoch's batch order
 */
public record HostBatch(int epoch, int index, LoadedBatch data) {}
