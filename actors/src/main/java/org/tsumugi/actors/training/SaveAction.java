package org.tsumugi.actors.training;

import org.tsumugi.actors.RunEvent.SaveKind;

/** One thing a save point does, in order: write a LoRA file, write a state, or remove an older file. */
public sealed interface SaveAction {

  /**
   * @param ssEpoch the ss_epoch the reference writes (0-based at step saves, 1-based otherwise)
   * @param epoch 1-based epoch the save happened in
   */
  record Lora(String name, SaveKind kind, long step, long ssEpoch, int epoch) implements SaveAction {}

  /** @param directory the state directory; the file is {@link SaveNames#stateFile} */
  record State(String directory, SaveKind kind, long step, int epoch) implements SaveAction {}

  /** Removes a file or a state directory if it exists. */
  record Remove(String name) implements SaveAction {}
}
