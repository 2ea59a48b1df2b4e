package org.tsumugi.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tsumugi.config.OptimizerConfig;
import org.tsumugi.config.OptimizerType;

class OptimizerFactoryTest {

  @Test
  void createsEachOptimizerType() {
    Map<OptimizerType, Class<?>> expected = Map.of(OptimizerType.ADAMW, AdamW.class, OptimizerType.ADAMW8BIT,
        AdamW8bit.class, OptimizerType.ADAFACTOR, Adafactor.class, OptimizerType.LION, Lion.class,
        OptimizerType.PRODIGY, Prodigy.class, OptimizerType.SGD, Sgd.class, OptimizerType.ADAMW_SCHEDULE_FREE,
        AdamWScheduleFree.class);
    try (Trainables t = Trainables.random(1, 1, new long[] {2})) {
      for (OptimizerType type : OptimizerType.values()) {
        Optimizer o = OptimizerFactory.create(config(type, Map.of()), t.groups(), t.manager);
        assertInstanceOf(expected.get(type), o, type.optionName());
      }
    }
  }

  @Test
  void writesSsOptimizerAsTheReference() {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("weight_decay", "0.1");
    args.put("betas", "0.9,0.99");
    assertEquals("torch.optim.adamw.AdamW(weight_decay=0.1,betas=(0.9, 0.99))",
        OptimizerFactory.ssOptimizer(config(OptimizerType.ADAMW, args)));
    assertEquals("torch.optim.adamw.AdamW", OptimizerFactory.ssOptimizer(config(OptimizerType.ADAMW, Map.of())));
    assertEquals("bitsandbytes.optim.adamw.AdamW8bit(eps=1e-06)",
        OptimizerFactory.ssOptimizer(config(OptimizerType.ADAMW8BIT, Map.of("eps", "1e-6"))));
    assertEquals("prodigyopt.prodigy.Prodigy(d_coef=2,safeguard_warmup=True)", OptimizerFactory.ssOptimizer(
        config(OptimizerType.PRODIGY, ordered("d_coef", "2", "safeguard_warmup", "True"))));
    assertEquals("schedulefree.adamw_schedulefree.AdamWScheduleFree",
        OptimizerFactory.ssOptimizer(config(OptimizerType.ADAMW_SCHEDULE_FREE, Map.of())));
    assertEquals("lion_pytorch.lion_pytorch.Lion", OptimizerFactory.ssOptimizer(config(OptimizerType.LION,
        Map.of())));
    assertEquals("torch.optim.sgd.SGD(momentum=0.9)",
        OptimizerFactory.ssOptimizer(config(OptimizerType.SGD, Map.of("momentum", "0.9"))));
  }

  @Test
  void adafactorGetsRelativeStepAsTheReferenceAddsIt() {
    assertEquals("transformers.optimization.Adafactor(relative_step=True)",
        OptimizerFactory.ssOptimizer(config(OptimizerType.ADAFACTOR, Map.of())));
    assertEquals("transformers.optimization.Adafactor(relative_step=True,warmup_init=True)",
        OptimizerFactory.ssOptimizer(config(OptimizerType.ADAFACTOR,
            ordered("relative_step", "False", "warmup_init", "True"))));
    assertEquals("transformers.optimization.Adafactor(relative_step=False,scale_parameter=False)",
        OptimizerFactory.ssOptimizer(config(OptimizerType.ADAFACTOR,
            ordered("relative_step", "False", "scale_parameter", "False"))));
    assertTrue(OptimizerFactory.usesRelativeStep(config(OptimizerType.ADAFACTOR, Map.of())));
    assertFalse(OptimizerFactory.usesRelativeStep(config(OptimizerType.ADAFACTOR,
        Map.of("relative_step", "False"))));
  }

  @Test
  void refusesUnknownArgumentsListingTheValidOnes() {
    OptimizerOptionException e = assertThrows(OptimizerOptionException.class,
        () -> OptimizerFactory.ssOptimizer(config(OptimizerType.LION, Map.of("beta", "0.9"))));
    assertTrue(e.getMessage().contains("unknown argument [beta]"), e.getMessage());
    assertTrue(e.getMessage().contains("[betas, decoupled_weight_decay, use_triton, weight_decay]"),
        e.getMessage());
  }

  @Test
  void refusesValuesOfTheWrongTypeOrUnsupported() {
    try (Trainables t = Trainables.random(1, 1, new long[] {2})) {
      for (Map<String, String> bad : new Map[] {Map.of("betas", "0.9"), Map.of("betas", "(0.9, 'x')"),
          Map.of("weight_decay", "'0.1'"), Map.of("amsgrad", "True"), Map.of("eps", "1e-8 1e-9")}) {
        assertThrows(OptimizerOptionException.class,
            () -> OptimizerFactory.create(config(OptimizerType.ADAMW, bad), t.groups(), t.manager), bad.toString());
      }
      assertThrows(OptimizerOptionException.class, () -> OptimizerFactory.create(
          config(OptimizerType.SGD, Map.of("nesterov", "True")), t.groups(), t.manager));
      assertThrows(OptimizerOptionException.class, () -> OptimizerFactory.create(
          config(OptimizerType.PRODIGY, Map.of("d0", "0")), t.groups(), t.manager));
    }
  }

  @Test
  void passesArgumentsToTheOptimizer() {
    // Lion with weight_decay 0.5 and lr 0.1: one step from p = 1 with g = 1 gives 1·0.95 − 0.1 = 0.85.
    try (Trainables t = Trainables.of(new float[][] {{1f}}, new long[] {1})) {
      Optimizer o = OptimizerFactory.create(config(OptimizerType.LION, Map.of("weight_decay", "0.5")),
          t.groups(), t.manager);
      t.setGradients(new float[][] {{1f}});
      o.step(t.groups(), new double[] {0.1});
      assertEquals(0.85f, t.values()[0][0], 1e-6f);
    }
  }

  private static Map<String, String> ordered(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static OptimizerConfig config(OptimizerType type, Map<String, String> args) {
    return new OptimizerConfig(type, 1e-3, args, 1.0);
  }
}
