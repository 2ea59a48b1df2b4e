package org.tsumugi.engine.train;

/**
 * What a random stream is drawn for. Each purpose has its own stream family so that, for example, adding a dropout
 * draw never shifts the noise of a step.
 *
 * <p>The {@link #code()} enters the stream key and is part of the durable run format: a run resumed by a later
 * build must see the same numbers, so codes never change and are never reused (enum order does not matter).
 */
public enum RandomPurpose {
  /** The noise ε added to a latent. */
  NOISE(1),
  /** Timestep draws of one sample (uniforms, normals, the qinglong branch decision). */
  TIMESTEP(2),
  /** Neuron dropout of LoRA ({@code network_dropout}). */
  DROPOUT(3),
  /** Rank dropout of LoRA ({@code rank_dropout}). */
  RANK_DROPOUT(4),
  /** Module dropout of LoRA ({@code module_dropout}). */
  MODULE_DROPOUT(5),
  /** Shuffling of bucket items and batch order per epoch. */
  DATA_ORDER(6),
  /** The per-epoch stratified timestep pool of a dataset ({@code num_timestep_buckets}, dataset level). */
  TIMESTEP_BUCKETS(7),
  /** The trainer-level stratified timestep pool ({@code num_timestep_buckets} with rejection sampling). */
  TIMESTEP_POOL(8),
  /** Initial LoRA down weights. */
  LORA_INIT(9),
  /** Initial noise of sample generation during training. */
  SAMPLE_NOISE(10);

  private final int code;

  RandomPurpose(int code) {
    this.code = code;
  }

  /** The stable number this purpose contributes to a stream key. */
  public int code() {
    return code;
  }
}
