package org.tsumugi.ops.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tsumugi.actors.RunEvent.MaxNormMetrics;
import org.tsumugi.actors.RunEvent.StepMetrics;
import org.tsumugi.ops.monitor.TensorBoardEvent.Scalar;

/** The reference's step tags (reference/training.md §6), including Prodigy's d·lr and the max-norm figures. */
class TensorBoardTagsTest {

  private static Map<String, Float> tags(List<Scalar> scalars) {
    Map<String, Float> out = new LinkedHashMap<>();
    scalars.forEach(s -> out.put(s.tag(), s.value()));
    return out;
  }

  @Test
  void plainStepLogsLossesAndOneRatePerGroup() {
    StepMetrics m = new StepMetrics(7, 1, 0.5f, 0.25f, List.of(1e-4, 4e-4), 1.0, 0.1);
    assertEquals(Map.of("loss/current", 0.5f, "loss/average", 0.25f, "lr/unet", 1e-4f, "lr/unet plus", 4e-4f),
        tags(TensorBoardTags.stepScalars(m, List.of("unet", "unet plus"))));
  }

  @Test
  void prodigyAndMaxNormAddTheirTags() {
    StepMetrics m = new StepMetrics(7, 1, 0.5f, 0.25f, List.of(1.0), 1.0, 0.1, List.of(2e-6),
        new MaxNormMetrics(3, 0.75, 1.5));
    Map<String, Float> tags = tags(TensorBoardTags.stepScalars(m, List.of()));
    assertEquals(1.0f, tags.get("lr/unet"));
    assertEquals(2e-6f, tags.get("lr/d*lr/unet"));
    assertEquals(3f, tags.get("max_norm/keys_scaled"));
    assertEquals(0.75f, tags.get("max_norm/average_key_norm"));
    assertEquals(1.5f, tags.get("max_norm/max_key_norm"));
  }
}
