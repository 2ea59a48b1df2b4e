package org.tsumugi.engine.lora;

import java.util.List;
import org.tsumugi.engine.nn.LinearLayer;

/**
 * An architecture's LoRA declaration (the reference's small {@code lora_<arch>.py}): the linear layers inside its
 * target blocks, in module order, and the exclude patterns it appends to the user's.
 *
 * @param networkModule the reference's module name, written to {@code ss_network_module}
 * @param candidates every linear layer inside a target block, in the model's module order
 * @param defaultExcludes full-match regexes over the dotted module name, appended after the user's
 */
public record LoraTargets(String networkModule, List<LinearLayer> candidates, List<String> defaultExcludes) {

  public LoraTargets {
    candidates = List.copyOf(candidates);
    defaultExcludes = List.copyOf(defaultExcludes);
  }
}
