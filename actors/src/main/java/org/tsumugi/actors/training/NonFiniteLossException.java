package org.tsumugi.actors.training;

import java.util.Locale;

/** The loss of a micro-batch is NaN or infinite: training cannot continue from these weights. */
public final class NonFiniteLossException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param step the optimizer step the micro-batch belonged to (1-based)
   * @param epoch 0-based epoch; {@code batch} 0-based batch index
   */
  public NonFiniteLossException(float loss, long step, int epoch, int batch) {
    super(String.format(Locale.ROOT, "loss is %s at step %d (epoch %d, batch %d); the weights before this step are"
        + " kept and the last saved state is usable (lower learning_rate or check the data)", loss, step, epoch + 1,
        batch));
  }
}
