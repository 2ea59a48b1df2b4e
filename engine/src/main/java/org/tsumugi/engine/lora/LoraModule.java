package org.tsumugi.engine.lora;

import ai.djl.ndarray.NDArray;
import org.tsumugi.engine.nn.Linear;
import org.tsumugi.engine.nn.ScalarFactor;

/**
 * One low-rank adapter on a linear layer W: y = W x + b + up(down(x)) · multiplier · alpha/rank
 * (reference/lora-and-ema.md §1.5).
 *
 * @param loraName {@code lora_unet_} + the module name with dots as underscores
 * @param module the wrapped layer's dotted name ({@code blocks.0.self_attn.q})
 * @param down [rank, in], trainable
 * @param up [out, rank], trainable
 */
public record LoraModule(String loraName, String module, int rank, float alpha, NDArray down, NDArray up) {

  public static final String PREFIX = "lora_unet";

  public static String loraNameOf(String module) {
    return (PREFIX + "." + module).replace('.', '_');
  }

  /** alpha / rank as float32, as the reference's scale acts on float32 tensors. */
  public float scale() {
    return alpha / rank;
  }

  public String downKey() {
    return loraName + ".lora_down.weight";
  }

  public String upKey() {
    return loraName + ".lora_up.weight";
  }

  public String alphaKey() {
    return loraName + ".alpha";
  }

  /**
   * The adapter's contribution up(down(x)·s) for input x [..., in]. The scale is applied on the rank-wide
   * activation, the cheapest place; it equals (up(down x))·s up to float rounding.
   */
  public NDArray delta(NDArray x, float multiplier) {
    return Linear.project(ScalarFactor.mul(Linear.project(x, down), multiplier * scale()), up);
  }
}
