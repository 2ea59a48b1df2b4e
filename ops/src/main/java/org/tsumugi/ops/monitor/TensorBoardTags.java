package org.tsumugi.ops.monitor;

import java.util.ArrayList;
import java.util.List;
import org.tsumugi.actors.RunEvent.EpochCompleted;
import org.tsumugi.actors.RunEvent.StepMetrics;
import org.tsumugi.ops.monitor.TensorBoardEvent.Scalar;

/** The reference's TensorBoard tags and the steps they are logged at (reference/training.md §6). */
public final class TensorBoardTags {

  public static final String LOSS_CURRENT = "loss/current";
  public static final String LOSS_AVERAGE = "loss/average";
  public static final String LOSS_EPOCH = "loss/epoch";

  private TensorBoardTags() {}

  /**
   * A step's scalars, logged at {@code step = global_step}: loss/current, loss/average, lr/&lt;group&gt;, and when
   * present lr/d*lr/&lt;group&gt; (Prodigy) and max_norm/* (scale_weight_norms).
   */
  public static List<Scalar> stepScalars(StepMetrics m, List<String> lrGroups) {
    List<Scalar> scalars = new ArrayList<>();
    scalars.add(new Scalar(LOSS_CURRENT, m.loss()));
    scalars.add(new Scalar(LOSS_AVERAGE, m.averageLoss()));
    List<Double> rates = m.learningRates();
    for (int i = 0; i < rates.size(); i++) {
      scalars.add(new Scalar("lr/" + groupName(lrGroups, i, rates.size()), rates.get(i).floatValue()));
    }
    List<Double> dTimes = m.dTimesLearningRates();
    for (int i = 0; i < dTimes.size(); i++) {
      scalars.add(new Scalar("lr/d*lr/" + groupName(lrGroups, i, dTimes.size()), dTimes.get(i).floatValue()));
    }
    if (m.maxNorm() != null) {
      scalars.add(new Scalar("max_norm/keys_scaled", m.maxNorm().keysScaled()));
      scalars.add(new Scalar("max_norm/average_key_norm", (float) m.maxNorm().averageKeyNorm()));
      scalars.add(new Scalar("max_norm/max_key_norm", (float) m.maxNorm().maxKeyNorm()));
    }
    return scalars;
  }

  /** loss/epoch, logged at {@code step = epoch} (1-based), a different x-axis from the step scalars. */
  public static Scalar epochScalar(EpochCompleted e) {
    return new Scalar(LOSS_EPOCH, e.averageLoss());
  }

  /**
   * A group's description; without one the reference names it "unet", or "group{i}" when there are more than two
   * groups.
   */
  public static String groupName(List<String> lrGroups, int index, int groupCount) {
    if (index < lrGroups.size()) {
      return lrGroups.get(index);
    }
    return groupCount > 2 ? "group" + index : "unet";
  }
}
