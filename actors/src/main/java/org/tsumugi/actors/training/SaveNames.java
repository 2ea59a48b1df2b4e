package org.tsumugi.actors.training;

import java.util.Locale;

/**
 * File names of saved checkpoints and states, as the reference names them (reference/training.md §5.3). A state is a
 * directory holding one file, {@link #STATE_FILE}.
 */
public record SaveNames(String outputName) {
  public static final String STATE_FILE = "state.safetensors";

  public String epochLora(long epoch) {
    return String.format(Locale.ROOT, "%s-%06d.safetensors", outputName, epoch);
  }

  public String stepLora(long step) {
    return String.format(Locale.ROOT, "%s-step%08d.safetensors", outputName, step);
  }

  public String finalLora() {
    return outputName + ".safetensors";
  }

  public String epochState(long epoch) {
    return String.format(Locale.ROOT, "%s-%06d-state", outputName, epoch);
  }

  public String stepState(long step) {
    return String.format(Locale.ROOT, "%s-step%08d-state", outputName, step);
  }

  public String finalState() {
    return outputName + "-state";
  }

  /** The file inside a state directory. */
  public static String stateFile(String stateDirectory) {
    return stateDirectory + "/" + STATE_FILE;
  }
}
