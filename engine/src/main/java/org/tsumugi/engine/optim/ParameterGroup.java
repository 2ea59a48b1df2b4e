package org.tsumugi.engine.optim;

import java.util.List;

/**
 * Parameters sharing one base learning rate, in the reference's order.
 *
 * @param description the log tag suffix ({@code unet}, {@code unet plus})
 */
public record ParameterGroup(String description, double learningRate, List<Parameter> parameters) {

  public ParameterGroup {
    parameters = List.copyOf(parameters);
  }
}
