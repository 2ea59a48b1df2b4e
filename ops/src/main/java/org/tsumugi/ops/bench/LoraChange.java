package org.tsumugi.ops.bench;

import java.util.ArrayList;
import java.util.List;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.optim.Parameter;

/** A copy of a LoRA's weights, to tell afterwards whether training moved them (the bench's proof that it trained). */
final class LoraChange {

  /**
   * @param changed LoRA tensors with at least one element different from the copy
   * @param tensors LoRA tensors in all
   * @param norm L2 norm of the change over every LoRA weight (NaN if any weight is no longer finite)
   */
  record Moved(int changed, int tensors, double norm) {

    boolean all() {
      return changed == tensors && tensors > 0 && Double.isFinite(norm) && norm > 0;
    }
  }

  private final List<float[]> values;

  private LoraChange(List<float[]> values) {
    this.values = values;
  }

  static LoraChange of(LoraNetwork lora) {
    List<float[]> values = new ArrayList<>();
    for (Parameter p : lora.parameters()) {
      values.add(p.value().toFloatArray());
    }
    return new LoraChange(values);
  }

  Moved movedTo(LoraNetwork lora) {
    List<Parameter> now = lora.parameters();
    int changed = 0;
    double sumSq = 0;
    for (int t = 0; t < now.size(); t++) {
      float[] before = values.get(t);
      float[] after = now.get(t).value().toFloatArray();
      boolean moved = false;
      for (int i = 0; i < after.length; i++) {
        double d = (double) after[i] - before[i];
        moved |= d != 0 || Float.isNaN(after[i]);
        sumSq += Float.isFinite(after[i]) ? d * d : Double.NaN;
      }
      changed += moved ? 1 : 0;
    }
    return new Moved(changed, now.size(), Math.sqrt(sumSq));
  }
}
