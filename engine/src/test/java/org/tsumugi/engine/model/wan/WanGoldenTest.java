package org.tsumugi.engine.model.wan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tsumugi.engine.Golden;
import org.tsumugi.engine.io.Checkpoint;
import org.tsumugi.engine.lora.LoraFile;
import org.tsumugi.engine.lora.LoraModule;
import org.tsumugi.engine.lora.LoraNetwork;
import org.tsumugi.engine.nn.LinearCall;
import org.tsumugi.engine.train.FlowMatching;

/** The DiT, its LoRA and one loss/backward against the reference's numbers (golden/wan21-tiny). */
class WanGoldenTest {

  static final WanConfig TINY = WanGoldenTestConfig.TINY;

  static NDManager manager;
  static WanModel model;
  static Checkpoint inputs;
  static Checkpoint outputs;

  @BeforeAll
  static void load() throws IOException {
    manager = NDManager.newBaseManager();
    try (WanCheckpoint ckpt = WanCheckpoint.open(Golden.file("wan21-tiny/model.safetensors"), TINY)) {
      model = ckpt.load(manager);
    }
    inputs = Checkpoint.open(Golden.file("wan21-tiny/inputs.safetensors"));
    outputs = Checkpoint.open(Golden.file("wan21-tiny/outputs.safetensors"));
  }

  @AfterAll
  static void close() throws IOException {
    inputs.close();
    outputs.close();
    manager.close();
  }

  private WanInputs goldenInputs(NDManager m) {
    return WanInputs.textToVideo(inputs.load(m, "noisy"), inputs.readFloats("timesteps"),
        List.of(inputs.load(m, "context.0"), inputs.load(m, "context.1")));
  }

  @Test
  void baseModelMatchesReferencePrediction() {
    try (NDManager m = manager.newSubManager()) {
      NDArray pred = model.forward(goldenInputs(m), LinearCall.PLAIN);
      assertEquals(outputs.info("pred_base").shape().length, pred.getShape().dimension());
      Golden.assertClose(outputs.readFloats("pred_base"), pred.toFloatArray(), "pred_base");
    }
  }

  @Test
  void loraPredictionLossAndEveryGradientMatchReference() throws IOException {
    try (NDManager m = manager.newSubManager()) {
      LoraNetwork lora = LoraFile.read(Golden.file("wan21-tiny/lora.safetensors"), WanLoraTargets.of(model.weights()), m);
      assertEquals(20, lora.modules().size());
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray pred = model.forward(goldenInputs(m), lora.inference(1f));
        Golden.assertClose(outputs.readFloats("pred_lora"), pred.toFloatArray(), "pred_lora");
        NDArray target = FlowMatching.target(inputs.load(m, "x0"), inputs.load(m, "noise"));
        NDArray loss = FlowMatching.loss(pred, target, null);
        Golden.assertClose(outputs.readFloats("loss"), new float[] {loss.getFloat()}, "loss");
        gc.backward(loss);
      }
      for (LoraModule mod : lora.modules()) {
        Golden.assertClose(outputs.readFloats(mod.downKey() + ".grad"), mod.down().getGradient().toFloatArray(),
            mod.downKey());
        Golden.assertClose(outputs.readFloats(mod.upKey() + ".grad"), mod.up().getGradient().toFloatArray(), mod.upKey());
      }
    }
  }
}
