package org.tsumugi.engine.lora;

/**
 * Uniform draws in [0, 1) for the LoRA dropouts of one forward pass, a pure function of the run's seed, the step and
 * the module, so that a recomputed block (gradient checkpointing) sees the same masks.
 */
@FunctionalInterface
public interface DropoutDraws {

  enum Kind { NEURON, RANK, MODULE }

  float[] uniform(int moduleIndex, Kind kind, int count);
}
